package dockgate.policy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.StandardCopyOption;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reloading the rules: only a valid file replaces them, and the watcher sees the ways files get replaced. */
class LiveRulesTest {

    private static final String PING_ONLY = "GET /_ping\n";
    private static final String PING_AND_LIST = "GET /_ping\nGET /containers/json\n";

    @TempDir
    Path dir;

    private RulesWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static boolean allowsList(LiveRules rules) {
        return rules.current().profileFor(null).decide("GET", "/containers/json", Query.EMPTY).allowed();
    }

    private LiveRules load(Path file) throws Exception {
        return new LiveRules(Rulebook.load(file));
    }

    @Test
    void aValidFileReplacesTheRulesAndABrokenOneKeepsThemUntilFixed() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_ONLY);
        LiveRules rules = load(file);
        Rulebook first = rules.current();
        assertFalse(allowsList(rules));
        assertNull(rules.inForce().lastError());

        Files.writeString(file, PING_AND_LIST);
        assertTrue(rules.reload("test"));
        assertTrue(allowsList(rules));
        assertEquals(2, rules.inForce().ruleCount());
        assertEquals(1, first.size(), "a Rulebook already handed out never changes");

        Files.writeString(file, "GET /_ping\nFETCH /containers/json\nprofile\n");
        Rulebook good = rules.current();
        var before = rules.inForce();
        assertFalse(rules.reload("test"));
        assertSame(good, rules.current());
        assertTrue(allowsList(rules));
        RulesInForce failed = rules.inForce();
        assertEquals(file + ":2: unknown method 'FETCH' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)\n"
                + file + ":3: profile needs a name: profile NAME [from CIDR[,CIDR...]]", failed.lastError());
        assertEquals(before.loadedAt(), failed.loadedAt());
        assertEquals(2, failed.ruleCount());
        assertFalse(failed.lastAttempt().isBefore(before.lastAttempt()));

        Files.writeString(file, "GET /_ping\nprofile ci from 10.0.0.0/8\nGET /containers/json\n");
        assertTrue(rules.reload("test"));
        assertNull(rules.inForce().lastError());
        assertEquals(2, rules.inForce().profileCount());
        assertFalse(allowsList(rules));
    }

    @Test
    void aMissingFileIsAnErrorThatKeepsTheRules() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_AND_LIST);
        LiveRules rules = load(file);
        Files.delete(file);
        assertFalse(rules.reload("test"));
        assertTrue(allowsList(rules));
        assertTrue(rules.inForce().lastError().startsWith(file + ": cannot read rules file: "), rules.inForce().lastError());
    }

    @Test
    void aReloadWithoutAProfileAListenerIsBoundToIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), "GET /_ping\nprofile ci\nGET /containers/json\n");
        LiveRules rules = new LiveRules(Rulebook.load(file), java.util.Set.of("ci"));
        Files.writeString(file, "GET /_ping\nprofile cj\nGET /containers/json\n");
        assertFalse(rules.reload("test"));
        assertEquals(file + ": no profile named 'ci', and a listener is bound to it", rules.inForce().lastError());
        assertTrue(rules.current().findProfile("ci").isPresent());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LiveRules(Rulebook.load(file), java.util.Set.of("ci")));
        assertEquals(file + ": no profile named 'ci', and a listener is bound to it", e.getMessage());
    }

    @Test
    void rulesFromNoFileCannotBeReloaded() {
        LiveRules rules = new LiveRules(Rulebook.builtIn());
        RulesInForce before = rules.inForce();
        assertFalse(rules.reload("SIGHUP"));
        assertFalse(rules.reloadIfChanged("test"));
        assertSame(before, rules.inForce());
        assertNull(rules.file());
    }

    @Test
    void theWatcherReloadsAFileRewrittenInPlace() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_ONLY);
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);
        Files.writeString(file, PING_AND_LIST);
        await("the rewritten file is in force").atMost(Duration.ofSeconds(10)).until(() -> allowsList(rules));
    }

    @Test
    void theWatcherReloadsEvenWhileAnotherFileInTheDirectoryKeepsChanging() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_ONLY);
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);
        AtomicBoolean done = new AtomicBoolean();
        Thread busy = new Thread(() -> {
            // A log file beside the rules, written more often than the watcher's quiet period.
            for (int i = 0; !done.get(); i++) {
                try {
                    Files.writeString(dir.resolve("app.log"), "line " + i + "\n");
                    Thread.sleep(50);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        busy.start();
        try {
            Files.writeString(file, PING_AND_LIST);
            await("the rewritten file is in force").atMost(Duration.ofSeconds(10)).until(() -> allowsList(rules));
        } finally {
            done.set(true);
            busy.join();
        }
    }

    @Test
    void theWatcherReloadsAFileRenamedOverTheOldOneAsEditorsSave() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_ONLY);
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);
        Path temp = Files.writeString(dir.resolve(".rules.swp"), PING_AND_LIST);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await("the renamed file is in force").atMost(Duration.ofSeconds(10)).until(() -> allowsList(rules));
    }

    @Test
    void theWatcherKeepsTheRulesOnABrokenFileAndTakesTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), PING_AND_LIST);
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);
        Files.writeString(file, "GET /_ping\nGET /{oops}\n");
        await("the broken file is reported").atMost(Duration.ofSeconds(10)).until(() -> rules.inForce().lastError() != null);
        assertEquals(file + ":2: unknown placeholder {oops} (known: {id} {name})", rules.inForce().lastError());
        assertTrue(allowsList(rules));
        Files.writeString(file, PING_ONLY);
        await("the fixed file is in force").atMost(Duration.ofSeconds(10)).until(() -> !allowsList(rules));
        assertNull(rules.inForce().lastError());
    }

    /** Kubernetes mounts a ConfigMap as rules -> ..data/rules, ..data -> ..v1, and updates it by re-pointing ..data. */
    @Test
    void theWatcherFollowsAConfigMapSymlinkSwap() throws Exception {
        Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(dir.resolve("..v1/rules"), PING_ONLY);
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Path file = Files.createSymbolicLink(dir.resolve("rules"), Path.of("..data/rules"));
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);

        Files.createDirectory(dir.resolve("..v2"));
        Files.writeString(dir.resolve("..v2/rules"), PING_AND_LIST);
        Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(dir.resolve("..v1/rules"));
        Files.delete(dir.resolve("..v1"));
        await("the ConfigMap's new version is in force").atMost(Duration.ofSeconds(10)).until(() -> allowsList(rules));
        assertNull(rules.inForce().lastError());
        assertEquals(file.toString(), rules.inForce().source());
    }

    /** A file symlinked from elsewhere is edited where it really lives. */
    @Test
    void theWatcherSeesEditsToASymlinkedFilesTarget() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path target = Files.writeString(real.resolve("rules"), PING_ONLY);
        Path link = Files.createDirectory(dir.resolve("etc"));
        Path file = Files.createSymbolicLink(link.resolve("rules"), target);
        LiveRules rules = load(file);
        watcher = RulesWatcher.start(rules);
        Files.writeString(target, PING_AND_LIST);
        await("the edited target is in force").atMost(Duration.ofSeconds(10)).until(() -> allowsList(rules));
    }

    @Test
    void aWatcherForRulesWithoutAFileIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RulesWatcher.start(new LiveRules(Rulebook.builtIn())));
        assertEquals("the rules come from no file: nothing to watch", e.getMessage());
    }

    @Test
    void reloadIfChangedIgnoresAnUnchangedFile() throws IOException, RulesException {
        Path file = Files.writeString(dir.resolve("rules"), PING_ONLY);
        LiveRules rules = new LiveRules(Rulebook.load(file));
        assertFalse(rules.reloadIfChanged("test"));
        Files.writeString(file, PING_AND_LIST);
        assertTrue(rules.reloadIfChanged("test"));
        assertFalse(rules.reloadIfChanged("test"));
    }
}
