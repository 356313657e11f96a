package org.citizenreception.control.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders (0700) and files (0600) that only the server's own account may read: the database with
 * petitioners' personal data, the audit key, the TLS private key, the audit checkpoints. Created
 * with those permissions from the start (never created open and tightened after, which leaves a
 * window), and tightened when they already exist from an older version. On a file system without
 * POSIX permissions (Windows) the operator's folder ACLs apply instead.
 */
public final class OwnerOnlyFiles {
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code folder} and any missing parent as 0700 (existing parents are left alone) and tightens {@code folder} itself. */
    public static Path folder(Path folder) {
        Path absolute = folder.toAbsolutePath();
        try {
            if (!Files.isDirectory(absolute)) {
                Path parent = absolute.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    folder(parent);
                }
                try {
                    Files.createDirectory(absolute, attribute(FOLDER));
                } catch (FileAlreadyExistsException raced) {
                    // Another start created it meanwhile; tightened below.
                }
            }
            restrict(absolute, FOLDER);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder " + folder, e);
        }
    }

    /** Creates an empty 0600 file when missing (its folder 0700), tightens it when it exists. */
    public static Path file(Path file) {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            folder(absolute.getParent());
        }
        try {
            try {
                Files.createFile(absolute, attribute(FILE));
            } catch (FileAlreadyExistsException exists) {
                restrict(absolute, FILE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the file " + file, e);
        }
    }

    /** Sets exactly {@code permissions} when the file system has POSIX permissions. */
    public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null
                && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
