package dev.kvmsim.kvm.eventfd;

/** Poll event bits ({@code include/uapi/linux/eventpoll.h}) and wake modes, with a renderer for traces. */
public final class Poll {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDNORM = 0x040;
    public static final int EPOLLRDBAND = 0x080;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;

    /** fs/select.c POLLIN_SET: what select(2)'s read set waits for. */
    public static final int POLLIN_SET = EPOLLRDNORM | EPOLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR;
    /** fs/select.c POLLOUT_SET. */
    public static final int POLLOUT_SET = EPOLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR;

    /** TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE), the mode of every poll wakeup. */
    public static final int TASK_NORMAL = 3;

    private Poll() { }

    /** {@code "EPOLLIN|EPOLLOUT"}; {@code "0"} for none. */
    public static String render(int mask) {
        if (mask == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, mask, EPOLLIN, "EPOLLIN");
        append(sb, mask, EPOLLPRI, "EPOLLPRI");
        append(sb, mask, EPOLLOUT, "EPOLLOUT");
        append(sb, mask, EPOLLERR, "EPOLLERR");
        append(sb, mask, EPOLLHUP, "EPOLLHUP");
        append(sb, mask, EPOLLRDNORM, "EPOLLRDNORM");
        append(sb, mask, EPOLLRDBAND, "EPOLLRDBAND");
        append(sb, mask, EPOLLWRNORM, "EPOLLWRNORM");
        append(sb, mask, EPOLLWRBAND, "EPOLLWRBAND");
        int rest = mask & ~(EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDNORM
            | EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND);
        if (rest != 0) {
            append(sb, rest, rest, "0x" + Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int mask, int bit, String name) {
        if ((mask & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
