"""Peak resident memory of a command's process tree, for the bench scripts."""
import subprocess, sys


def peak_rss_mib(cmd):
    """Peak resident memory (MiB) of the largest process of `cmd`'s tree: the kernel's
    high-water mark (ru_maxrss of the waited-for descendants), not a sample, measured in a
    fresh Python so earlier runs do not count (gongkai waits for its workers, so theirs do)."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True).stdout
    return int(out.strip() or 0) / 1024
