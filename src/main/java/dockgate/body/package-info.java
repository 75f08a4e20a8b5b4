/**
 * What Go type each inspected Engine API request body decodes into ({@code BodyShape}, the named shapes of
 * {@code BodyShapes}, read once from the resource {@code dockgate/body-shapes}), and the canonicaliser that
 * rewrites a parsed body so every key is its field's one spelling and every value one the field's Go type
 * takes ({@code CanonicalBody}). Uses only {@code json}. Shapes are immutable and loaded once; everything here
 * is for any thread.
 */
package dockgate.body;
