package org.aes67d.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

class ParseObjectTest {
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Test
    void objectsParseWithTypesKept() throws Exception {
        Map<String, Object> m = ApiServlet.parseObject(json,
                "{\"ptp_domain\": 3, \"mdns_enabled\": false, \"x\": \"y\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, m.get("ptp_domain"));
        assertEquals(false, m.get("mdns_enabled"));
        assertEquals("y", m.get("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[]", "3", "\"s\"", "null", "{", "{\"a\":1}}", "{\"a\":1,\"a\":2}", "\u0000\u00ff",
            "{\"a\": tru}" })
    void anythingButOneObjectIsABadRequest(String body) {
        ApiServlet.BadRequest e = assertThrows(ApiServlet.BadRequest.class,
                () -> ApiServlet.parseObject(json, body.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(true, e.getMessage().startsWith("error parsing JSON : "), e.getMessage());
    }
}
