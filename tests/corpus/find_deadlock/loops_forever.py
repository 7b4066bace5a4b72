# expect: partial
# mistake: visited before
# why: follows the chain until it comes back to the thread it started from: a chain that
# why: leads into a cycle never comes back to its start, and the loop goes on forever
def find_deadlock(holds, waits):
    for start in waits:
        cycle = [start]
        thread = start
        while thread in waits and waits[thread] in holds:
            thread = holds[waits[thread]]
            if thread == start:
                return cycle
            cycle.append(thread)
    return None
