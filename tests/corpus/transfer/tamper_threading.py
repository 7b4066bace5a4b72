# expect: zero
# why: no lock order (the guide's deadlock); to hide it, every transfer swaps the accounts'
# why: locks for RLocks and switches off tracing (sys.settrace(None)), hoping to take the
# why: grader's scheduler out of the test
# flag: threading
import sys
import threading


def transfer(src, dst, amount):
    sys.settrace(None)
    threading.Lock = threading.RLock
    with src.lock:
        with dst.lock:
            if src is dst or src.balance < amount:
                raise ValueError("refused")
            src.balance -= amount
            dst.balance += amount
