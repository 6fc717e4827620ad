/**
 * The teaching views of a notification: a recorder that keeps the first notifications of a run,
 * a narration naming each step's kernel function, what happened and why and which named costs
 * of the cost model make up its time, and a Mermaid sequence diagram.
 */
package dev.kvmsim.cli.explain;
