"""Written answers -> one PDF per class, a fixed page per question (``deepgrade written``).

- ``questions``: the written questions of a homework (name, points, order, page) and the
  sentence results.json uses to say which points are written;
- ``answers``: where each answer is in a submitted notebook;
- ``render``: answers -> HTML pages; ``browser``: HTML -> PDF in one headless Chromium;
- ``classpdf``: the command (``written.pdf`` for the class, one per submission);
- ``scores``: Gradescope's exported scores of the written assignment, back per student.

Kept import-light: the grader imports ``questions`` for results.json.
"""
