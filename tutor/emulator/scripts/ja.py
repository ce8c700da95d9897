"""Japanese demo dialogues. `*_say` fields hold kana for espeak-ng, which cannot read kanji."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="今日は元気ですか？",
    greeting_say="きょうは げんきですか？",
    steps=(
        Step(
            learner="はい、元気です。日本語を好きです。",
            learner_say="はい、げんきです。にほんごを すきです。",
            match="を好き",
            replace="が好き",
            explanation="好き takes the particle が, not を: 日本語が好きです。",
            kind="grammar",
            phrase=("日本語が好きです", "I like Japanese"),
            reply="日本語が好きなんですね。うれしいです！どうして日本語を勉強していますか？",
            reply_say=(
                "にほんごが すきなんですね。うれしいです！"
                "どうして にほんごを べんきょう していますか？"
            ),
        ),
        Step(
            learner="日本に行きたいから、日本語が勉強しています。",
            learner_say="にほんに いきたいから、にほんごが べんきょう しています。",
            match="が勉強して",
            replace="を勉強して",
            explanation="勉強する takes the object particle を: 日本語を勉強しています。",
            kind="grammar",
            reply="日本に行きたいんですね。いいですね！日本で何をしたいですか？",
            reply_say="にほんに いきたいんですね。いいですね！にほんで なにを したいですか？",
        ),
        Step(
            learner="京都でお寺を見ます。そして、すしを食べるたいです。",
            learner_say="きょうとで おてらを みます。そして、すしを たべるたいです。",
            match="食べるたい",
            replace="食べたい",
            explanation="たい attaches to the verb stem: 食べたい, not 食べるたい。",
            kind="grammar",
            phrase=("食べたいです", "I want to eat"),
            reply="京都ですしを食べたいんですね。",
            reply_say="きょうとで すしを たべたいんですね。",
        ),
    ),
)

B = Band(
    greeting="先週末は何をしましたか？",
    greeting_say="せんしゅうまつは なにを しましたか？",
    steps=(
        Step(
            learner="先週末は友達と海に行きました。とても楽しいでした。",
            learner_say="せんしゅうまつは ともだちと うみに いきました。とても たのしいでした。",
            match="(楽し|おいし|寒|暑|冷た|高|安)いでした",
            replace=r"\1かったです",
            explanation="For い-adjectives the past is 〜かったです, not 〜いでした。",
            kind="grammar",
            reply="海は楽しかったんですね！天気はどうでしたか？",
            reply_say="うみは たのしかったんですね！てんきは どうでしたか？",
        ),
        Step(
            learner="天気はいいでしたが、水がとても冷たかったです。",
            learner_say="てんきは いいでしたが、みずが とても つめたかったです。",
            match="いいでした",
            replace="よかったです",
            explanation="いい is irregular: its past is よかったです。",
            kind="grammar",
            phrase=("天気がいい", "the weather is good"),
            reply="天気はよかったけど、水は冷たかったんですね。山と海と、どちらが好きですか？",
            reply_say=(
                "てんきは よかったけど、みずは つめたかったんですね。"
                "やまと うみと、どちらが すきですか？"
            ),
        ),
        Step(
            learner="山のほうが好きです。来月、富士山を登ります。",
            learner_say="やまの ほうが すきです。らいげつ、ふじさんを のぼります。",
            match="山を登ります",
            replace="山に登ります",
            explanation="登る takes に for the summit you climb: 富士山に登ります。",
            kind="grammar",
            reply="来月、富士山に登るんですね。すごい！",
            reply_say=("らいげつ、ふじさんに のぼるんですね。すごい！"),
        ),
    ),
)

C = Band(
    greeting="議論しましょう。在宅勤務は社会にとっていいことだと思いますか？",
    greeting_say=(
        "ぎろん しましょう。ざいたくきんむは しゃかいに とって いいことだと おもいますか？"
    ),
    steps=(
        Step(
            learner="いいことだと思います。でも、一人で働くのはさびしいだと思います。",
            learner_say=(
                "いいことだと おもいます。でも、ひとりで はたらくのは さびしいだと おもいます。"
            ),
            match="(さびし|難し|楽し)いだと思",
            replace=r"\1いと思",
            explanation="い-adjectives take と思う directly, without だ: さびしいと思います。",
            kind="grammar",
            reply="なるほど。一人で働くのはさびしいと思うんですね。会社にとってはどうですか？",
            reply_say=(
                "なるほど。ひとりで はたらくのは さびしいと おもうんですね。"
                "かいしゃに とっては どうですか？"
            ),
        ),
        Step(
            learner="会社はお金を節約できる。社員もうれしいです。",
            learner_say="かいしゃは おかねを せつやく できる。しゃいんも うれしいです。",
            match="節約できる。",
            replace="節約できます。",
            explanation="Keep the polite です/ます form throughout: 節約できます。",
            kind="register",
            reply="そうですね。会社はお金を節約できますね。上司はチームとどう連絡を取ればいいですか？",
            reply_say=(
                "そうですね。かいしゃは おかねを せつやく できますね。"
                "じょうしは ちーむと どう れんらくを とれば いいですか？"
            ),
        ),
        Step(
            learner="定期的に会議をして、社員の意見を聞くべきだです。",
            learner_say="ていきてきに かいぎを して、しゃいんの いけんを きくべきだです。",
            match="べきだです",
            replace="べきです",
            explanation="べき takes です directly: 聞くべきです。",
            kind="grammar",
            phrase=("連絡を取る", "to stay in touch"),
            reply="いい考えです。社員の意見を聞くべきですね。",
            reply_say=("いい かんがえです。しゃいんの いけんを きくべきですね。"),
        ),
    ),
)

SCRIPT = Script(
    lang="ja",
    names=("japanese", "日本語", "nihongo"),
    topic_line="今日のテーマは「{topic}」です。",
    recast="ちなみに、「{corrected}」と言います。",
    followups=(
        "なるほど。もう少し教えてください。",
        "おもしろいですね！どうしてそう思いますか？",
        "いいですね。例を一つ言ってください。",
    ),
    bands={"A": A, "B": B, "C": C},
)
