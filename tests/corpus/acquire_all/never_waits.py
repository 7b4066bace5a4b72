# expect: partial
# why: does not wait at all (acquire(blocking=False)): a lock that another thread releases a
# why: moment later, well within the timeout, makes it fail
# why: visible tests pass: not a mistake lesson 6 warns about (its prose is about releasing what
# why: was taken, which a visible test checks): the hidden test of a lock released within the
# why: timeout catches it
def acquire_all(locks, timeout):
    taken = []
    for lock in locks:
        if not lock.acquire(blocking=False):
            for held in reversed(taken):
                held.release()
            return False
        taken.append(lock)
    return True
