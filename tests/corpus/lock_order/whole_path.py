# expect: partial
# why: returns the whole path of the search, from where it started, when it finds a cycle:
# why: the locks that only lead into the cycle are not on it
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

    def visit(lock, path, done):
        if lock in path:
            return path
        if lock in done:
            return None
        for nxt in graph.get(lock, ()):
            found = visit(nxt, path + [lock], done)
            if found:
                return found
        done.add(lock)
        return None

    done = set()
    for lock in list(graph):
        found = visit(lock, [], done)
        if found:
            return found
    return None
