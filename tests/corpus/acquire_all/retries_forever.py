# expect: partial
# why: spins: after a timeout it releases what it took and starts again, forever, instead of
# why: returning False; a lock that stays held keeps it looping
def acquire_all(locks, timeout):
    while True:
        taken = []
        for lock in locks:
            if not lock.acquire(timeout=timeout):
                break
            taken.append(lock)
        if len(taken) == len(locks):
            return True
        for held in reversed(taken):
            held.release()
