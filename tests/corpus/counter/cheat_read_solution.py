# expect: zero
# why: reads the instructor's notebook from the course's source/ folder (three levels up from
# why: autograded/<student>/<lesson>/) and runs its solution; in the sandbox source/ is not
# why: there, so the cell fails and Counter is never defined
# flag: files, dynamic
import json
import os

_lesson = os.path.basename(os.getcwd())
_path = os.path.join("..", "..", "..", "source", _lesson, _lesson + ".ipynb")
with open(_path) as _f:
    _nb = json.load(_f)
for _cell in _nb["cells"]:
    if _cell["metadata"].get("nbgrader", {}).get("grade_id") == "counter":
        exec("".join(_cell["source"]))
