# expect: full
# why: wraps concurrent.futures.Future, turning its errors into RuntimeError and TimeoutError
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout


class OneShot:
    """concurrent.futures.Future already is a set-once value (it locks inside)."""

    def __init__(self):
        self._future = Future()

    def set(self, value):
        try:
            self._future.set_result(value)
        except InvalidStateError:
            raise RuntimeError("OneShot already set") from None

    def get(self, timeout=None):
        try:
            return self._future.result(timeout)
        except FutureTimeout:  # the built-in TimeoutError from 3.11 on, not on 3.10
            raise TimeoutError(f"not set within {timeout} s") from None

    def is_set(self):
        return self._future.done()
