# expect: partial
# mistake: release what it took
# why: the guide's acquire(timeout=...) bug: when a later lock times out it returns False
# why: without releasing the locks it already took, which stay held for good
def acquire_all(locks, timeout):
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            return False
    return True
