import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for firebase-tools' Cloud Storage rules runtime so its storage emulator starts offline.
 * Weir's tests use only the emulator's GCS JSON API, which never consults rules; this answers the
 * runtime's line protocol (JSON per line on stdin/stdout): a ready line, "ruleset loaded" for
 * load_ruleset, and "permitted" for verify.
 */
public final class RulesRuntimeStub {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+)");
    private static final Pattern ACTION = Pattern.compile("\"action\"\\s*:\\s*\"(\\w+)\"");

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("{\"id\":-1,\"status\":\"ok\",\"errors\":[],\"warnings\":[]}");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Matcher id = ID.matcher(line);
            String last = null;
            while (id.find()) {
                last = id.group(1);
            }
            if (last == null) {
                continue;
            }
            Matcher action = ACTION.matcher(line);
            String result = action.find() && action.group(1).equals("load_ruleset")
                ? "{\"rulesVersion\":2}"
                : "{\"permit\":true}";
            out.println("{\"id\":" + last + ",\"status\":\"ok\",\"result\":" + result + ",\"errors\":[],\"warnings\":[]}");
        }
    }
}
