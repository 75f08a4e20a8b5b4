package dockgate.json;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The items of an object or array as the reader collected them: the reader's own array, which nothing else
 * holds, so the value records take it as it is instead of copying it with {@code List.copyOf}. Unmodifiable
 * (AbstractList refuses every change), and never null inside.
 */
final class ReadList<T> extends AbstractList<T> implements RandomAccess {
    private final Object[] items;
    private final int size;

    ReadList(Object[] items, int size) {
        this.items = items;
        this.size = size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Objects.checkIndex(index, size);
        return (T) items[index];
    }

    @Override
    public int size() {
        return size;
    }
}
