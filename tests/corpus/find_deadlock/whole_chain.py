# expect: partial
# why: returns every thread met on the way, also those that only wait for the cycle from
# why: outside (a chain leading into it): they are stuck, but they are not on the cycle
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen
    return None
