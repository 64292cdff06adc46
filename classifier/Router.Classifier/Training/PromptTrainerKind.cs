namespace Router.Classifier.Training;

/// <summary>The multiclass trainers the CLI can compare; <see cref="PromptModelTrainer.DefaultTrainer"/> won on measurement.</summary>
public enum PromptTrainerKind
{
    SdcaMaximumEntropy,
    LbfgsMaximumEntropy,
    OneVersusAllAveragedPerceptron,
    OneVersusAllLinearSvm,
}
