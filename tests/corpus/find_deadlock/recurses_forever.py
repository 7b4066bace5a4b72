# expect: partial
# mistake: visited before
# why: a recursive search that stops only when it comes back to the thread it started from:
# why: a chain that leads into a cycle never does, and it calls itself until Python gives up
# why: with RecursionError
def find_deadlock(holds, waits):
    def follow(thread, start):
        if thread not in waits or waits[thread] not in holds:
            return None
        nxt = holds[waits[thread]]
        if nxt == start:
            return [thread]
        rest = follow(nxt, start)
        return None if rest is None else [thread] + rest

    for start in waits:
        found = follow(start, start)
        if found:
            return found
    return None
