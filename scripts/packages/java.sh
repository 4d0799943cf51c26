#!/usr/bin/env bash
# The Java package as a user gets it: `mvn install` of bindings/java (tests skipped: the
# test-java phase runs them) puts the jar, its -sources.jar and its -javadoc.jar in the
# local Maven repository; a scratch Maven project that depends on dev.akt:akt then compiles
# and runs a small program against the installed jar (its native libraries unpacked from it).
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
(cd "$app" && "${mvn[@]}" compile exec:java >"$work/app.out" 2>"$work/app.log") ||
    { cat "$work/app.out" "$work/app.log" >&2; die "the scratch project did not build or run"; }
# (Maven's console library wraps the program's output in colour resets: drop them.)
out=$(sed 's/\x1b\[[0-9;]*m//g' "$work/app.out" | grep -v '^$' || true)
[ "$out" = "hello, maven" ] || { cat "$work/app.log" >&2; die "printed '$out'"; }
step "ok: dev.akt:akt:$version"
