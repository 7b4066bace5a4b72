# expect: full
# Each thread waits for at most one other: follow the chain from every thread with Floyd's
# tortoise and hare; where they meet, walk once around the loop.
def find_deadlock(holds, waits):
    def step(thread):
        if thread in waits and waits[thread] in holds:
            return True, holds[waits[thread]]
        return False, None

    for start in waits:
        slow = fast = start
        while True:
            ok, fast = step(fast)
            if not ok:
                break
            ok, fast = step(fast)
            if not ok:
                break
            slow = step(slow)[1]
            if slow == fast:
                cycle = [slow]
                nxt = step(slow)[1]
                while nxt != slow:
                    cycle.append(nxt)
                    nxt = step(nxt)[1]
                return cycle
    return None
