# expect: partial
# mistake: cycle of three
# why: only looks for two threads waiting for each other (or one for itself): a cycle of
# why: three threads or more is missed
def find_deadlock(holds, waits):
    for t, lock in waits.items():
        if lock not in holds:
            continue
        other = holds[lock]
        if other == t:
            return [t]
        if other in waits and waits[other] in holds and holds[waits[other]] == t:
            return [t, other]
    return None
