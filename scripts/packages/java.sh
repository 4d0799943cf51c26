#!/usr/bin/env bash
# The Java package as a user gets it: `mvn install` of bindings/java (tests skipped: the
# test-java phase runs them) puts the jar, its -sources.jar and its -javadoc.jar in the
# local Maven repository; a scratch Maven project that depends on dev.akt:akt then compiles
# and runs a small program against the installed jar (its native libraries, libakt's own
# included, unpacked from it into a per-user cache) with libakt not findable on the system.
#   scripts/packages/java.sh <build-dir> <work-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
die() { printf 'packages/java: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== java: %s\n' "$*"; }
mkdir -p "$work"
version=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$src/bindings/java/pom.xml")
mvn=(mvn -B -ntp -q -Dstyle.color=never)

step "mvn install (jar, sources, javadoc)"
(cd "$src/bindings/java" && AKT_BUILD_DIR=$build "${mvn[@]}" -DskipTests install >"$work/install.log" 2>&1) ||
    { tail -40 "$work/install.log" >&2; die "mvn install failed"; }
repo=${AKT_MAVEN_REPO:-$HOME/.m2/repository} # the default local repository
dir=$repo/dev/akt/akt/$version
for f in "akt-$version.jar" "akt-$version-sources.jar" "akt-$version-javadoc.jar" "akt-$version.pom"; do
    [ -s "$dir/$f" ] || die "$dir/$f is not installed"
done
names=$(unzip -l "$dir/akt-$version-sources.jar")
[[ $names == *dev/akt/ActorSystem.java* ]] || die "the sources jar lacks dev/akt/ActorSystem.java"
names=$(unzip -l "$dir/akt-$version-javadoc.jar")
[[ $names == *dev/akt/ActorSystem.html* ]] || die "the javadoc jar lacks dev/akt/ActorSystem.html"

step "a scratch Maven project"
app=$work/app
mkdir -p "$app/src/main/java"
cat >"$app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>scratch</groupId>
  <artifactId>hello</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency><groupId>dev.akt</groupId><artifactId>akt</artifactId><version>$version</version></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
      </plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <version>3.6.4</version>
        <configuration><mainClass>Hello</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat >"$app/src/main/java/Hello.java" <<'JAVA'
import dev.akt.*;
import java.time.Duration;

public class Hello {
    public static void main(String[] args) {
        try (ActorSystem system = ActorSystem.create("packaged")) {
            Pid pid = system.spawn("greeter", (Actor) (ctx, msg) -> ctx.respond("hello, " + msg));
            System.out.println(pid.ask("maven", Duration.ofSeconds(10)).join());
        }
    }
}
JAVA
names=$(unzip -l "$dir/akt-$version.jar")
for f in libakt.so.0 libakt_jni.so libuv.so.1 libssl.so.3 libzstd.so.1 libs.txt files.txt id.txt; do
    [[ $names == *"native/linux-"*"/$f"* ]] || die "the jar lacks native/linux-*/$f"
done
# javapkg begin: the program runs with libakt NOT findable on the system: no
# LD_LIBRARY_PATH, no akt.library.path, a java.library.path without akt, a fresh cache
# (XDG_CACHE_HOME) that the jar's bundle is unpacked into.
cache=$work/cache
rm -rf "$cache"
(cd "$app" && env -u LD_LIBRARY_PATH -u AKT_BUILD_DIR XDG_CACHE_HOME="$cache" \
    MAVEN_OPTS="-Djava.library.path=/nonexistent" "${mvn[@]}" compile exec:java >"$work/app.out" 2>"$work/app.log") ||
    { cat "$work/app.out" "$work/app.log" >&2; die "the scratch project did not build or run"; }
# (Maven's console library wraps the program's output in colour resets: drop them.)
out=$(sed 's/\x1b\[[0-9;]*m//g' "$work/app.out" | grep -v '^$' || true)
[ "$out" = "hello, maven" ] || { cat "$work/app.log" >&2; die "printed '$out'"; }
unpacked=$(ls -d "$cache"/akt/native-linux-*-*)
[ "$(echo "$unpacked" | wc -l)" = 1 ] || die "expected one unpacked bundle in $cache/akt: $unpacked"
[ "$(stat -c %a "$unpacked")" = 700 ] || die "$unpacked is not private (mode $(stat -c %a "$unpacked"))"
! ls -d "$cache"/akt/.tmp-* >/dev/null 2>&1 || die "a temporary unpack folder was left in $cache/akt"
step "the unpacked bundle resolves from itself ($unpacked)"
# Every library akt loads resolves from the bundle, except glibc's and the loader.
system_re='^(linux-vdso|libc|libm|libdl|libpthread|librt|libresolv|libutil|libgcc_s|ld-linux[^ ]*)\.so'
for lib in "$unpacked"/*.so*; do
    while read -r name arrow where _; do
        [[ $name =~ $system_re ]] && continue
        [ "$arrow" = "=>" ] || continue
        [ "$where" = "$unpacked/$name" ] ||
            die "$(basename "$lib") finds $name at $where, not in the bundle"
    done < <(env -u LD_LIBRARY_PATH ldd "$lib")
done
echo "    $(grep -c "=> $unpacked/" <(ldd "$unpacked/libakt_jni.so")) libraries of libakt_jni.so resolve from the bundle"
# A second run (the same cache) loads the bundle already there.
(cd "$app" && env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$cache" "${mvn[@]}" exec:java >"$work/app2.out" 2>"$work/app2.log") ||
    { cat "$work/app2.out" "$work/app2.log" >&2; die "the second run failed"; }
[ "$(ls -d "$cache"/akt/* | wc -l)" = 1 ] || die "the second run unpacked the bundle again"
# Three JVMs that start at once on an empty cache: each loads a complete bundle, one folder
# stays and no temporary one is left behind.
race=$work/race
rm -rf "$race"
pids=()
for i in 1 2 3; do
    env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$race" java -cp "$dir/akt-$version.jar:$app/target/classes" Hello \
        >"$work/race$i.out" 2>&1 &
    pids+=($!)
done
for i in 1 2 3; do
    wait "${pids[$((i - 1))]}" || { cat "$work/race$i.out" >&2; die "racing JVM $i failed"; }
    [ "$(cat "$work/race$i.out")" = "hello, maven" ] || { cat "$work/race$i.out" >&2; die "racing JVM $i printed that"; }
done
[ "$(ls -A "$race/akt" | wc -l)" = 1 ] || { ls -la "$race/akt" >&2; die "racing JVMs left more than one folder"; }
# -Dakt.library.path wins over the bundle: a folder without akt fails to load.
(cd "$app" && env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$cache" MAVEN_OPTS="-Dakt.library.path=$work/none" \
    "${mvn[@]}" exec:java >"$work/app3.out" 2>&1) && die "-Dakt.library.path=$work/none did not win over the bundle"
grep -q "does not exist (akt.library.path)" "$work/app3.out" || { cat "$work/app3.out" >&2; die "no akt.library.path error"; }
# javapkg end
step "ok: dev.akt:akt:$version"
