# expect: partial
# why: adds an edge a -> a when a thread re-acquires an RLock it holds, and reports it as the
# why: cycle [a]: re-entering an RLock cannot deadlock
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    graph.setdefault(h, set()).add(lock)
                held.append(lock)
            else:
                held.remove(lock)

    def visit(lock, path, done):
        if lock in path:
            return path[path.index(lock):]
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
