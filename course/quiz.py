"""Self-study feedback for a lesson's quiz, which does not give the answers away.

``Quiz(lesson).check(globals())`` says, for each question answered (``q1 = "b"``, ...), whether
the answer is right and why, in one sentence about *that* option. Feedback is given on the
**first** answer to each question only: a later, different answer is told so and shown the
reason for the first one again, so trying the letters one after the other (by hand or in a loop)
tells nothing about the others. The first answers are kept with the notebook, not only in the
kernel, so restarting the kernel does not reset them: when the lesson's notebook is in the
current folder (where JupyterLab starts its kernel), they are read back from the feedback it
printed before (the notebook's saved outputs) and from a small record beside it,
``.<lesson>.quiz.json``, which each check updates.

What ships with the package (``course/quiz_data/<lesson>.json``) is encoded: each option's
reason, and whether it is right, is encrypted with a key derived from the quiz's salt, the
question and that letter, so the file does not show which letter is right to someone reading it.
(It is not a secret from a programmer who derives the four keys; the grade does not depend on it:
the hidden tests compare a salted digest of the answer.) The instructor's plain key lives in
``source/.quiz_keys/<lesson>.json``; ``python -m course.quiz encode <lesson>`` regenerates the
data and prints the digests the hidden tests compare with.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "quiz_data"
LETTERS = ("a", "b", "c", "d")
_FIRST: dict[tuple[str, int], str] = {}  # (lesson, question) -> the first letter checked


def normalize(answer: object) -> str | None:
    """The letter an answer stands for ("B " -> "b"), or None when it is not one of a-d."""
    text = "".__class__(answer) if isinstance(answer, str) else None
    if text is None:
        return None
    letter = text.strip().lower()
    return letter if letter in LETTERS else None


def _key(salt: str, number: int, letter: str) -> bytes:
    return hashlib.sha256(f"{salt}:{number}:{letter}".encode()).digest()


def _xor(data: bytes, key: bytes) -> bytes:
    stream = b""
    block = 0
    while len(stream) < len(data):
        stream += hashlib.sha256(key + block.to_bytes(4, "big")).digest()
        block += 1
    return bytes(a ^ b for a, b in zip(data, stream, strict=False))


def graded_digest(salt: str, number: int, letter: str) -> str:
    """What a hidden test compares the answer's digest with (the right letter's)."""
    return hashlib.sha256(f"{salt}:{number}:{letter}:graded".encode()).hexdigest()


def encode(plain: dict) -> dict:
    """The shipped data of a plain key ({"salt", "questions": {n: {"right", "why": {...}}}})."""
    salt = plain["salt"]
    questions = {}
    for number, q in plain["questions"].items():
        if q["right"] not in LETTERS or set(q["why"]) != set(LETTERS):
            raise ValueError(f"question {number}: 'right' must be a-d and 'why' give a-d")
        sealed = {}
        for letter in LETTERS:
            verdict = "right" if letter == q["right"] else "wrong"
            text = f"{verdict}|{q['why'][letter]}".encode()
            sealed[letter] = base64.b64encode(_xor(text, _key(salt, int(number), letter))).decode()
        questions[number] = sealed
    return {"lesson": plain["lesson"], "salt": salt, "questions": questions}


_SAID = re.compile(r"Question (\d+): (?:'([a-d])' is |you first answered '([a-d])')")


def said_first(notebook: Path) -> dict[int, str]:
    """The first answers a saved notebook's quiz feedback shows (question -> letter)."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[int, str] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            text = out.get("text", "")
            for m in _SAID.finditer("".join(text) if isinstance(text, list) else text):
                found.setdefault(int(m.group(1)), m.group(2) or m.group(3))
    return found


class Quiz:
    """A lesson's quiz, for feedback."""

    def __init__(self, lesson: str, data_dir: Path = DATA, folder: Path | None = None):
        path = data_dir / f"{lesson}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"no quiz for lesson {lesson!r} ({path} is missing)") from None
        self.lesson = lesson
        self.salt = data["salt"]
        self._sealed = {int(n): q for n, q in data["questions"].items()}
        here = Path.cwd() if folder is None else Path(folder)
        #: Where the first answers are kept beside the notebook (None: in the kernel only,
        #: when the lesson's notebook is not in the folder).
        self.record: Path | None = None
        if folder is not None or (here / f"{lesson}.ipynb").is_file():
            self.record = here / f".{lesson}.quiz.json"
            for number, letter in {**self._recorded(), **said_first(
                    here / f"{lesson}.ipynb")}.items():
                _FIRST.setdefault((lesson, number), letter)

    def _recorded(self) -> dict[int, str]:
        try:
            data = json.loads(self.record.read_text(encoding="utf-8")) if self.record else {}
        except (OSError, ValueError):
            return {}
        return {int(n): v for n, v in data.items()
                if str(n).isdigit() and normalize(v) is not None} if isinstance(data, dict) else {}

    def _remember(self) -> None:
        if self.record is None:
            return
        first = {str(n): v for (lesson, n), v in _FIRST.items() if lesson == self.lesson}
        try:
            self.record.write_text(json.dumps(first, sort_keys=True) + "\n", encoding="utf-8")
        except OSError:  # a read-only folder: the kernel still remembers
            pass

    @property
    def questions(self) -> list[int]:
        return sorted(self._sealed)

    def _open(self, number: int, letter: str) -> tuple[bool, str]:
        raw = base64.b64decode(self._sealed[number][letter])
        verdict, _, why = _xor(raw, _key(self.salt, number, letter)).decode().partition("|")
        return verdict == "right", why

    def feedback(self, number: int, answer: object) -> str:
        """One question's feedback on the first answer checked in this kernel."""
        if number not in self._sealed:
            raise ValueError(f"this quiz has questions {self.questions}, not {number!r}")
        letter = normalize(answer)
        if letter is None:
            return f"Question {number}: answer with one letter, a to d (not {answer!r})."
        first = _FIRST.setdefault((self.lesson, number), letter)
        if first == letter:
            self._remember()
        right, why = self._open(number, first)
        verdict = "right" if right else "not right"
        if first != letter:
            return (f"Question {number}: you first answered {first!r} ({verdict}: {why}) "
                    f"Feedback is given on a first answer only, so that trying letters tells "
                    f"nothing; {letter!r} is what will be graded.")
        return f"Question {number}: {letter!r} is {verdict}. {why}"

    def check(self, namespace: dict) -> None:
        """Print feedback for every question answered in ``namespace`` as q1, q2, ..."""
        for number in self.questions:
            name = f"q{number}"
            if name in namespace:
                print(self.feedback(number, namespace[name]))
            else:
                print(f"Question {number}: not answered yet ({name} = ...).")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "encode":
        print("usage: python -m course.quiz encode LESSON   (reads source/.quiz_keys/LESSON.json)")
        return 2
    lesson = argv[1]
    plain_path = Path.cwd() / "source" / ".quiz_keys" / f"{lesson}.json"
    plain = json.loads(plain_path.read_text(encoding="utf-8"))
    DATA.mkdir(exist_ok=True)
    (DATA / f"{lesson}.json").write_text(json.dumps(encode(plain), indent=1) + "\n")
    for number, q in sorted(plain["questions"].items(), key=lambda kv: int(kv[0])):
        print(f"q{number}: {graded_digest(plain['salt'], int(number), q['right'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
