package org.promptlimits.verify;

import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Require;

import java.util.List;
import java.util.function.Function;

/**
 * One result of the paper as {@code verify} runs it: an id to select it ({@code --result 2.4}), a title, the
 * notebook that shows the same tables, and the function that builds the constructions and returns their check
 * tables (its argument is true for the reduced {@code --quick} sizes).
 *
 * @param id       what {@code --result} accepts, e.g. "2.4"
 * @param title    e.g. "Theorem 2.4: one transformer, a prompt per target"
 * @param notebook the notebook file that shows the same check tables, e.g. "04-universality-two-ffn.ipynb"
 * @param run      builds the constructions and returns their check tables; the argument is {@code quick}
 */
public record Result(String id, String title, String notebook, Function<Boolean, List<CheckTable>> run) {

    public Result {
        Require.that(id != null && !id.isBlank(), "id (" + id + ") must be a non-blank string");
        Require.notNull("title", title);
        Require.notNull("notebook", notebook);
        Require.notNull("run", run);
    }
}
