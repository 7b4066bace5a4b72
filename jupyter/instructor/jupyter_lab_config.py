"""JupyterLab settings of the instructor's environment (``./scripts/lab --instructor``).

Read because ``scripts/lab --instructor`` puts this folder first on ``JUPYTER_CONFIG_PATH``.
Default settings for JupyterLab's plugins (``overrides.json``) are read from
``LabApp.app_settings_dir`` only, so it points at ``lab-settings/`` beside this file. Widget
state is not saved with notebooks here: the instructor's notebooks (source/) are committed
without it.
"""

import os

c = get_config()  # noqa: F821

c.LabApp.app_settings_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "lab-settings")
