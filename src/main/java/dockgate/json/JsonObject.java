package dockgate.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JSON object with its members in the order they were read. Keys are kept as decoded, so two spellings
 * Go would fold onto one struct field stay two members here; only exact duplicates are refused, by the reader.
 */
public record JsonObject(List<Member> members) implements Json {

    /** One key and its value. */
    public record Member(String key, Json value) {
        public Member {
            WellFormed.string(Objects.requireNonNull(key, "key"));
            Objects.requireNonNull(value, "value");
        }
    }

    public JsonObject {
        members = members instanceof ReadList ? members : List.copyOf(members);
    }

    /** The value of the member with exactly this key, or null when there is none. */
    public Json get(String key) {
        for (Member member : members) {
            if (member.key().equals(key)) {
                return member.value();
            }
        }
        return null;
    }

    /** A copy with the member of exactly this key given this value, in its place, or appended when absent. */
    public JsonObject with(String key, Json value) {
        List<Member> out = new ArrayList<>(members.size() + 1);
        boolean replaced = false;
        for (Member member : members) {
            if (!replaced && member.key().equals(key)) {
                out.add(new Member(key, value));
                replaced = true;
            } else {
                out.add(member);
            }
        }
        if (!replaced) {
            out.add(new Member(key, value));
        }
        return new JsonObject(out);
    }
}
