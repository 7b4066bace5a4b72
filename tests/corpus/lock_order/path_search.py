# expect: full
# For each edge a -> b, a breadth-first search for a path from b back to a.
from collections import deque


def lock_order_cycle(traces):
    edges = []
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock and (h, lock) not in edges:
                        edges.append((h, lock))
                held.append(lock)
            elif lock in held:
                held.remove(lock)
    for a, b in edges:
        came_from = {b: None}
        queue = deque([b])
        while queue:
            x = queue.popleft()
            if x == a:
                path = []
                while x is not None:
                    path.append(x)
                    x = came_from[x]
                return path[::-1]  # b ... a; a -> b closes it
            for u, v in edges:
                if u == x and v not in came_from:
                    came_from[v] = x
                    queue.append(v)
    return None
