# expect: partial
# why: keeps the held locks in a set: acquiring an RLock a second time adds nothing, and the
# why: first release forgets it, though the thread still holds it
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = set()
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, set()).add(lock)
                held.add(lock)
            else:
                held.discard(lock)

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
