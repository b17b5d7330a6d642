#!/usr/bin/python3
"""Reads the workstation's screen as a screen reader does (AT-SPI, the accessibility tree Qt publishes)
and clicks what it finds with xdotool (a real pointer event at the widget's place on the screen).

  screen_reader.py WINDOW click ROLE NAME     clicks the showing widget of that role and name
  screen_reader.py WINDOW read ROLE NAME      prints the names of the showing widgets of that role
  screen_reader.py WINDOW extents ROLE NAME   prints "x y width height" of the first such widget on the screen
  screen_reader.py WINDOW quiz KEY [wrong]    answers the shown quiz paper: the file KEY holds one line
                                              per question, "prompt<TAB>right choice" (facelead-e2e-quiz-key);
                                              with "wrong", a choice that is not the right one

WINDOW, ROLE and NAME are regular expressions matched in full (ROLE: AT-SPI role names such as
"push button", "radio button", "check box", "page tab", "label"). A widget scrolled out of sight is
scrolled into view with the mouse wheel first. Exit status 1 when nothing matches.
"""
import re
import subprocess
import sys
import time

import pyatspi


def fail(message):
    print(f"screen_reader: {message}", file=sys.stderr)
    sys.exit(1)


def windows(pattern):
    found = []
    for app in pyatspi.Registry.getDesktop(0):
        if app is None or app.name != "FaceLead":
            continue
        for window in app:
            if window is not None and re.fullmatch(pattern, window.name or ""):
                found.append(window)
    return found


def descendants(node):
    for child in node:
        if child is None:
            continue
        yield child
        yield from descendants(child)


def showing(node):
    return node.getState().contains(pyatspi.STATE_SHOWING)


def find(window, role, name):
    return [n for n in descendants(window)
            if re.fullmatch(role, n.getRoleName()) and re.fullmatch(name, n.name or "", re.S) and showing(n)]


def extents(node):
    e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.x, e.y, e.width, e.height


def visible_area(node):
    """Where node can be seen: its ancestors' extents intersected from the window down, as long as the
    intersection is not empty (a scroll area's content reaches beyond its viewport). Returns the area and
    whether every ancestor was counted (False: node lies outside the part of a scroll area shown)."""
    ancestors = []
    parent = node.parent
    while parent is not None and parent.getRoleName() != "application":
        ancestors.append(parent)
        parent = parent.parent
    left, top, right, bottom = -10**6, -10**6, 10**6, 10**6
    for ancestor in reversed(ancestors):
        x, y, w, h = extents(ancestor)
        if w <= 0 or h <= 0:
            continue
        inner = max(left, x), max(top, y), min(right, x + w), min(bottom, y + h)
        if inner[0] >= inner[2] or inner[1] >= inner[3]:
            return (left, top, right, bottom), False
        left, top, right, bottom = inner
    return (left, top, right, bottom), True


def click(node):
    for _ in range(30):
        x, y, w, h = extents(node)
        cx, cy = x + w // 2, y + h // 2
        (left, top, right, bottom), whole = visible_area(node)
        if whole and top <= cy < bottom and left <= cx < right:
            subprocess.run(["xdotool", "mousemove", str(cx), str(cy), "click", "1"], check=True)
            time.sleep(0.15)
            return
        # Out of sight in a scroll area: wheel towards it with the pointer over the part shown.
        wheel = "5" if cy >= bottom else "4"
        subprocess.run(["xdotool", "mousemove", str((left + right) // 2), str((top + bottom) // 2),
                        "click", "--repeat", "2", wheel], check=True)
        time.sleep(0.15)
    fail(f"could not scroll '{node.name}' into view")


def quiz(window, key_file, wrong=False):
    with open(key_file, encoding="utf-8") as lines:
        key = dict(line.rstrip("\n").split("\t", 1) for line in lines if "\t" in line)
    questions = [n for n in descendants(window) if n.getRoleName() == "panel" and re.match(r"\d+\. ", n.name or "")]
    if len(questions) != len(key):
        fail(f"{len(questions)} questions shown, {len(key)} in the course")
    for question in questions:
        prompt = next((p for p in key if question.name.split(". ", 1)[1].startswith(p)), None)
        if prompt is None:
            fail(f"question not in the course: {question.name}")
        choices = [c for c in question if c is not None and c.getRoleName() == "radio button"]
        right = [c for c in choices if c.name == key[prompt]]
        if len(right) != 1:
            fail(f"the right choice of '{prompt}' is not shown once among {[c.name for c in choices]}")
        chosen = next(c for c in choices if c.name != key[prompt]) if wrong else right[0]
        click(chosen)
        print(f"{question.name.split('  (')[0]} -> choice {choices.index(chosen) + 1} of {len(choices)}")


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    pattern, command, args = argv[1], argv[2], argv[3:]
    found = windows(pattern)
    if not found:
        fail(f"no window '{pattern}'")
    window = found[-1]
    if command == "quiz" and len(args) in (1, 2):
        return quiz(window, args[0], wrong=args[1:] == ["wrong"])
    if len(args) != 2:
        fail(__doc__)
    matches = find(window, args[0], args[1])
    if not matches:
        fail(f"no showing {args[0]} '{args[1]}' in '{window.name}'")
    if command == "click":
        click(matches[0])
    elif command == "read":
        for match in matches:
            print(match.name)
    elif command == "extents":
        print(*extents(matches[0]))
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv)
