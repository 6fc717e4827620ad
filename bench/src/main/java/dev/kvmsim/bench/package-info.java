/** JMH benchmarks; run with {@code java -jar bench/target/benchmarks.jar}, never from mvn verify. */
package dev.kvmsim.bench;
