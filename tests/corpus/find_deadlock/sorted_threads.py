# expect: partial
# mistake: any hashable value
# why: sorts the threads to visit them in a fixed order: threads that are objects which
# why: cannot be compared make sorted() raise TypeError
def find_deadlock(holds, waits):
    for start in sorted(waits):
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
    return None
