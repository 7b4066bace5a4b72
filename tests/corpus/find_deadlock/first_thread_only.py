# expect: partial
# why: follows only the chain of the first waiting thread: a deadlock among other threads is
# why: missed
# why: visible tests pass: breadth (a second group of threads), which the hidden tests add; the
# why: lesson's classic mistakes (no visited set, 2-cycles only, names such as 0) fail visibly
def find_deadlock(holds, waits):
    if not waits:
        return None
    start = next(iter(waits))
    seen = []
    thread = start
    while thread in waits and waits[thread] in holds:
        seen.append(thread)
        thread = holds[waits[thread]]
        if thread in seen:
            return seen[seen.index(thread):]
    return None
