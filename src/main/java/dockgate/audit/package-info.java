/**
 * Audit mode: every call that is let through is generalised to its Engine API route ({@code api}) and
 * written to a learned rules file ({@code policy}'s format), which loads as rules that allow exactly that
 * traffic, with a checks section ({@code guard}) that allows exactly what the checked bodies asked for.
 * {@code record} is called on the IO threads and synchronised; the file is written from a
 * background thread of its own, at most once a second.
 */
package dockgate.audit;
