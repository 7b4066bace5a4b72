"""JupyterLab settings of the student's environment (``./scripts/lab``).

Read because ``scripts/lab`` puts this folder first on ``JUPYTER_CONFIG_PATH``. Default settings
for JupyterLab's plugins (``overrides.json``) are read from ``LabApp.app_settings_dir`` only,
so it points at ``lab-settings/`` beside this file: widget state is saved with the notebook.
"""

import os

c = get_config()  # noqa: F821

c.LabApp.app_settings_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "lab-settings")
