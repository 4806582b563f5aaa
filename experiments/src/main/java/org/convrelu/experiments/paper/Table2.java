package org.convrelu.experiments.paper;

import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;

/** Table 2: the same activations on MR, AG's News and Yelp Full with the char-CNN of Zhang et al. */
public final class Table2 extends ActivationComparison {

    public Table2() {
        super("2", "ConvReLU and other activations, top-1 accuracy (%) on text datasets", Arch.CHARCNN,
                List.of(DataId.MR, DataId.AG_NEWS, DataId.YELP_FULL));
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("Network: the char-CNN of Zhang, Zhao and LeCun (2015); partial replacement covers the ReLUs of conv1 and"
                        + " conv2, which ConvReLU merges into conv2 and conv3 (ReLU and max pooling commute).",
                "Characters: the paper's 70-entry alphabet, lower-cased, read in reverse; text normalised with CoreNLP (see the data"
                        + " line of each cell).",
                "\"(A)\" rows replace every ReLU of the char-CNN but the one after fc2, before the classifier: conv1 to conv6 and"
                        + " fc1 (the image networks likewise keep the head's ReLU, as Table 6's PReLU (A) count shows).",
                "MR has no official split: 10-fold cross-validation over a fixed partition. Every fold is held out in turn for"
                        + " every seed and a seed's top-1 is the mean over the ten (smoke scale trains fold 1 alone). Each row's note"
                        + " names the folds that ran.",
                "AG's News: where only its official test split is present, 80% of it trains and a stratified 20% evaluates;"
                        + " such numbers are not comparable with the paper's.",
                "Text recipe: the Protocol section names it. The paper shares its image setup with text (`paper`: lr 0.1 ×0.1 at"
                        + " epochs 150 and 250); Zhang et al. trained this network with Crepe's (`crepe`: lr 0.01 halved every 3"
                        + " epochs 10 times, weight decay 1e-5). The default at this scale is `"
                        + Recipe.TextRecipe.defaultFor(scale, DataId.MR).id() + "`, chosen by measurement"
                        + " (reduced/text-recipes.md, docs/scales.md); `--text-recipe` runs another.",
                "The narrow char-CNNs of the smaller scales use He initialisation (Zhang's N(0, 0.05²) is calibrated for 256"
                        + " features)." + (scale == Scale.REDUCED ? " The reduced char-CNN adds batch norm after every conv and"
                        + " takes the maximum over all positions after conv6 (ours: Zhang's form stays at a constant guess on MR's"
                        + " 9,600 training sentences, and near one on the 6,080 texts that train AG's News here; docs/scales.md)." : ""));
    }
}
