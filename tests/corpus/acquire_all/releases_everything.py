# expect: partial
# why: on a timeout releases every lock of the list that is locked, including the one another
# why: thread holds (a Lock can be released by any thread): it never acquired that one
def acquire_all(locks, timeout):
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            for other in locks:
                if other.locked():
                    other.release()
            return False
    return True
