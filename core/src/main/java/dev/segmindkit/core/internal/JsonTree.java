package dev.segmindkit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming core and its node classes only, never an
 * {@code ObjectMapper}: building {@link Json#MAPPER} loads some 400 classes and takes hundreds of
 * milliseconds on a cold JVM, which the spec and the fake server's answers do not need. The trees
 * are the very ones {@link Json#parse} builds (same node types, numbers included: {@code int},
 * {@code long} or {@code BigInteger} for integers, {@code double} for the rest; a repeated key keeps
 * its last value; anything after the first value is ignored), and {@link #write} gives the bytes
 * {@link Json#write} gives for a tree. Internal: no Jackson type reaches a public signature.
 */
public final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {
    }

    /** A new empty JSON object, as {@code Json.MAPPER.createObjectNode()} makes it. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * Parses a body: the missing node when it holds no value at all, as {@link Json#parse}.
     *
     * @throws IOException if it is not JSON
     */
    public static JsonNode parse(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            return read(p);
        }
    }

    /** Parses a resource known to be JSON, and closes it. */
    static JsonNode parseResource(InputStream in, String name) {
        try (in; JsonParser p = FACTORY.createParser(in)) {
            return read(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** A tree as compact JSON in UTF-8. */
    public static byte[] write(JsonNode node) {
        try (ByteArrayBuilder out = new ByteArrayBuilder()) {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                write(g, node);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON tree", e);
        }
    }

    /** Writes a value as each node's own {@code serialize} does with the mapper's default settings. */
    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
                break;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode item : node) {
                    write(g, item);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(node.textValue());
                break;
            case NUMBER:
                writeNumber(g, node);
                break;
            case BOOLEAN:
                g.writeBoolean(node.booleanValue());
                break;
            case NULL:
                g.writeNull();
                break;
            default:
                throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT:
                g.writeNumber(n.intValue());
                break;
            case LONG:
                g.writeNumber(n.longValue());
                break;
            case BIG_INTEGER:
                g.writeNumber(n.bigIntegerValue());
                break;
            case FLOAT:
                g.writeNumber(n.floatValue());
                break;
            case BIG_DECIMAL:
                g.writeNumber(n.decimalValue());
                break;
            default:
                g.writeNumber(n.doubleValue());
                break;
        }
    }

    /** Reads one value, iteratively: a deeply nested body costs no stack (the parser bounds the depth anyway). */
    private static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return MissingNode.getInstance();
        }
        Deque<ContainerNode<?>> open = new ArrayDeque<>();
        String field = null;
        for (; t != null; t = p.nextToken()) {
            JsonNode node;
            switch (t) {
                case FIELD_NAME:
                    field = p.currentName();
                    continue;
                case END_OBJECT:
                case END_ARRAY:
                    ContainerNode<?> closed = open.pop();
                    if (open.isEmpty()) {
                        return closed;
                    }
                    continue;
                case START_OBJECT:
                    node = NODES.objectNode();
                    break;
                case START_ARRAY:
                    node = NODES.arrayNode();
                    break;
                default:
                    node = scalar(p, t);
                    break;
            }
            ContainerNode<?> parent = open.peek();
            if (parent instanceof ObjectNode) {
                ((ObjectNode) parent).replace(field, node);
            } else if (parent instanceof ArrayNode) {
                ((ArrayNode) parent).add(node);
            } else if (!node.isContainerNode()) {
                return node;
            }
            if (node.isContainerNode()) {
                open.push((ContainerNode<?>) node);
            }
        }
        throw new IOException("unexpected end of JSON input");
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                if (p.getNumberTypeFP() == JsonParser.NumberTypeFP.BIG_DECIMAL) {
                    return NODES.numberNode(p.getDecimalValue());
                }
                return p.getNumberTypeFP() == JsonParser.NumberTypeFP.FLOAT32 ? NODES.numberNode(p.getFloatValue())
                        : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }
}
