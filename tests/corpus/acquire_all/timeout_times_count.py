# expect: partial
# why: waits timeout * len(locks) for each lock, more than the timeout it was given
def acquire_all(locks, timeout):
    taken = []
    for lock in locks:
        if not lock.acquire(timeout=timeout * len(locks)):
            for held in reversed(taken):
                held.release()
            return False
        taken.append(lock)
    return True
