package dev.kvmsim.cli.io;

import dev.kvmsim.cli.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The rules for every file kvmsim writes ({@code --report}, {@code --trace-out}, {@code --junit};
 * docs/cli.md "Files"): checked before the run, written through a temporary file in the same
 * directory and renamed into place, the temporary removed when anything fails.
 *
 * <p>A path is refused when it is a directory, a device, a FIFO or a socket, an input of the
 * run, or a file that cannot be written; a symbolic link is followed (the file it points to is
 * replaced, the link stays) and one that points nowhere is refused.
 */
public final class OutputFiles {
    private OutputFiles() { }

    /** Writes {@code FILE}'s content to an output stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Checks {@code out} (given as {@code option}) against the rules and returns the path to
     * write: {@code out}, or the file its symbolic link points to. {@code inputs} are the run's
     * input files (null entries and built-in names are skipped).
     */
    public static Path check(String option, Path out, List<Path> inputs) {
        String what = option + " " + out;
        Path target = out;
        if (Files.isSymbolicLink(out)) {
            try {
                target = out.toRealPath();
            } catch (NoSuchFileException e) {
                throw new UserError(what + ": is a symbolic link to a file that does not exist; give the file's path");
            } catch (IOException e) {
                throw new UserError(what + ": cannot follow the symbolic link: " + e.getMessage());
            }
        }
        if (Files.isDirectory(target)) {
            throw new UserError(what + ": is a directory; give a file name");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(target)) {
                throw new UserError(what + ": is not a regular file (a device, FIFO or socket); kvmsim writes only regular files");
            }
            for (Path in : inputs) {
                if (in != null && Files.exists(in) && same(target, in)) {
                    throw new UserError(what + ": is the input " + in + "; refusing to overwrite it");
                }
            }
            if (!Files.isWritable(target)) {
                throw new UserError(what + ": is not writable");
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserError(what + ": " + p + " is not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new UserError(what + ": cannot create files in " + p);
                }
                break;
            }
        }
        return target;
    }

    /** Refuses two options naming one file ({@code --report} and {@code --trace-out}). */
    public static void distinct(String optionA, Path a, String optionB, Path b) {
        if (a != null && b != null && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            throw new UserError(optionA + " and " + optionB + " name the same file " + a);
        }
    }

    /**
     * Writes {@code content} to {@code target} (a path {@link #check} returned) through a
     * temporary file in the same directory, renamed into place; on failure the temporary is
     * removed and the {@link UserError} says so.
     */
    public static void write(String option, Path target, Content content) {
        Path tmp = null;
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            moveIntoPlace(tmp, target);
        } catch (IOException | RuntimeException e) {
            String removed = removeQuietly(tmp);
            throw new UserError(option + " " + target + ": cannot write: " + message(e) + removed);
        }
    }

    /** Renames {@code tmp} onto {@code target}, atomically where the file system can. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code tmp} if it is there; the words to add to an error message. */
    public static String removeQuietly(Path tmp) {
        if (tmp == null) {
            return "";
        }
        try {
            return Files.deleteIfExists(tmp) ? " (the temporary file " + tmp + " was removed)" : "";
        } catch (IOException e) {
            return " (the temporary file " + tmp + " could not be removed: " + e.getMessage() + ")";
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String message(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory" : f.getReason();
            kind = kind != null ? kind : e.getClass().getSimpleName();
            return f.getFile() == null ? kind : kind + " (" + f.getFile() + ")";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
