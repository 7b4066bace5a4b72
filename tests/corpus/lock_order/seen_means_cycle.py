# expect: partial
# why: a depth-first search with one set of visited locks: reaching a lock visited before, on
# why: another branch (a diamond a -> b -> d, a -> c -> d), is taken for a cycle
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, []).append(lock)
                held.append(lock)
            else:
                held.remove(lock)
    visited = []

    def visit(lock):
        if lock in visited:
            return visited[visited.index(lock):]
        visited.append(lock)
        for nxt in graph.get(lock, ()):
            found = visit(nxt)
            if found:
                return found
        return None

    for lock in list(graph):
        if lock not in visited:
            found = visit(lock)
            if found:
                return found
    return None
