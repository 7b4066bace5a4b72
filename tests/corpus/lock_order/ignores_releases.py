# expect: partial
# why: never forgets a lock: every lock a thread ever took counts as held for the rest of its
# why: trace, so locks taken one after the other (not nested) make edges, and false cycles
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        taken = []
        for op, lock in events:
            if op == "acquire":
                for h in taken:
                    if h != lock:
                        graph.setdefault(h, set()).add(lock)
                if lock not in taken:
                    taken.append(lock)

    def visit(lock, path):
        if lock in path:
            return path[path.index(lock):]
        for nxt in graph.get(lock, ()):
            found = visit(nxt, path + [lock])
            if found:
                return found
        return None

    for lock in graph:
        found = visit(lock, [])
        if found:
            return found
    return None
