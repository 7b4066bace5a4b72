# expect: partial
# why: one list of held locks for all the threads, walked one after the other: a lock still
# why: held at the end of one thread's trace seems held by the next thread too
# why: visible tests pass: the held-lock bookkeeping across threads, an edge case the statement
# why: leaves to the hidden tests (the lesson's classic mistakes, a search without a visited set
# why: and 2-cycles only, fail visibly)
def lock_order_cycle(traces):
    graph = {}
    held = []
    for events in traces.values():
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, set()).add(lock)
                held.append(lock)
            elif lock in held:
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
