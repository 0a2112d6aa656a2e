"""deepgrade: autograded deep-learning homeworks with a trusted grader."""

__version__ = "0.1.0"
