# expect: partial
# mistake: any hashable value
# why: tests names for truth (if holder:), so a thread or lock named 0 or '' counts as
# why: missing
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread:
            lock = waits.get(thread)
            holder = holds.get(lock) if lock else None
            if not holder and holder != 0 or not lock:
                break
            seen.append(thread)
            thread = holder
            if thread in seen:
                return seen[seen.index(thread):]
    return None
