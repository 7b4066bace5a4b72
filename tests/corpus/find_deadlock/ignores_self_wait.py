# expect: partial
# why: skips a thread that waits for a lock it holds itself, which is a deadlock too (a
# why: cycle of one: a plain Lock acquired twice)
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            if holds[waits[thread]] == thread:
                break
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
    return None
