#!/usr/bin/env bash
# Tests of the Java binding: builds the jar (native libraries inside) and runs its JUnit 5
# tests with Maven Surefire, installs it in the local Maven repository, then runs every
# conformance case in C and Java and compares the transcripts.
#   AKT_BUILD_DIR   the core's CMake build (default <repo>/build; configured and built here
#                   when missing: the C conformance programs come from it)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export AKT_BUILD_DIR=${AKT_BUILD_DIR:-$repo/build}

if [ ! -f "$AKT_BUILD_DIR/CMakeCache.txt" ]; then
  gen=; command -v ninja >/dev/null && gen="-G Ninja"
  cmake -S "$repo" -B "$AKT_BUILD_DIR" $gen >/dev/null
fi
cmake --build "$AKT_BUILD_DIR" >/dev/null

cd "$here"
rm -rf target/surefire-reports
failed=0
# Not -q: Surefire's "Tests run: N, Failures: ..." lines are the record of this step. When a
# test fails, the jar is still built (tests skipped) so that conformance runs and reports too.
if ! mvn -B -ntp -Dstyle.color=never install; then
  failed=1
  mvn -q -B -ntp -Dstyle.color=never -DskipTests install
fi
# The tests run with -Xcheck:jni; any JNI warning or error it printed fails the run.
if grep -hE "Warning: |FATAL ERROR in native method" target/surefire-reports/*.dumpstream 2>/dev/null; then
  echo "test.sh: -Xcheck:jni reported the JNI misuse above" >&2
  failed=1
fi

# The Java conformance toolkit (the counterpart of conformance/c/conf.h).
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
jar="$here/target/akt-$version.jar"
classes="$here/target/conformance-classes"
mkdir -p "$classes"
javac -Xlint:all -Werror -cp "$jar" -d "$classes" conformance/Conf.java conformance/Split.java conformance/Supervised.java

# rembench begin: the serializers_protobuf case's generated class (protoc, from Debian's
# protobuf-compiler) against Debian's protobuf-java of the same release.
protobuf_jar=/usr/share/java/protobuf.jar
pb_src="$here/target/conformance-protobuf"
mkdir -p "$pb_src"
protoc --proto_path="$repo/conformance/cases/serializers_protobuf" --java_out="$pb_src" conf.proto
javac -cp "$protobuf_jar" -d "$classes" $(find "$pb_src" -name '*.java')
# rembench end

# The interop case's C actor (conformance/cases/interop/peer.h) as a JNI library for CPeer,
# linked against the libakt.so.0 packed in the jar (the copy the binding loads first).
javac -Xlint:all -Werror -cp "$jar:$classes" -d "$classes" conformance/CPeer.java
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
native="$here/target/conformance-native"
mkdir -p "$native"
libakt=$(ls "$here"/target/native-resources/native/linux-*/libakt.so.* | head -1)
cc -std=c11 -shared -fPIC -O2 -Wall -Wextra -Werror \
   -I"$repo/abi/include" -I"$repo/conformance/c" -I"$repo/conformance/cases/interop" \
   -I"$java_home/include" -I"$java_home/include/linux" \
   conformance/native/conf_peer_jni.c "$repo/conformance/c/conf.c" "$libakt" \
   -o "$native/libakt_conf_peer.so"

# -Xcheck:jni here too: its warnings go to stdout, so any JNI misuse breaks a transcript.
AKT_JAVA_CP="$jar:$classes:$protobuf_jar" AKT_JAVA="java -Xcheck:jni -Djava.library.path=$native -Dakt.cache.dir=$here/target/native-cache" \
  python3 "$repo/conformance/run.py" --lang c,java || failed=1

# javapkg begin: remote mode (run.py --remote): the actors of REMOTE_CASES on a second JVM.
echo "== conformance, remote mode (run.py --remote: the actors on a second process)"
AKT_JAVA_CP="$jar:$classes:$protobuf_jar" AKT_JAVA="java -Xcheck:jni -Djava.library.path=$native -Dakt.cache.dir=$here/target/native-cache" \
  python3 "$repo/conformance/run.py" --remote --lang java || failed=1
# javapkg end

# The README's example, launched as a single source file against the jar.
bash "$repo/examples/check_demo.sh" java -cp "$jar" "$repo/examples/java/Demo.java" || failed=1

exit "$failed"
