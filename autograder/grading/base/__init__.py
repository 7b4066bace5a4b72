"""The course as files: notebooks (read, write, strip, compare) and the lessons nbgrader sees.

The lowest room of ``autograder.grading``: every other room may import it, it imports none of
them (docs/internals.md, "The grading rooms")."""
