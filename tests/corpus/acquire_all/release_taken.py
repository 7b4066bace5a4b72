# expect: full
def acquire_all(locks, timeout):
    taken = []
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            for held in reversed(taken):
                held.release()
            return False
        taken.append(lock)
    return True
