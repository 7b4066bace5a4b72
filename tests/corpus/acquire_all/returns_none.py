# expect: partial
# why: returns None (a bare return) on a timeout instead of False
def acquire_all(locks, timeout):
    taken = []
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            for held in reversed(taken):
                held.release()
            return
        taken.append(lock)
    return True
