# expect: partial
# why: returns whether it took at least one lock, so acquire_all([], t) is False instead of True
def acquire_all(locks, timeout):
    taken = []
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            for held in reversed(taken):
                held.release()
            return False
        taken.append(lock)
    return len(taken) > 0
